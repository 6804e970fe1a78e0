// Reduced from drhelius/Gearlynx platforms/shared/desktop/vscode/
// debug_monitor_server.cpp (Start/AcceptLoop/Stop).
// Fix: drhelius/Gearlynx c34b3df34a89281443ceeb19cc256f22d5df9be7
// "Wake blocked socket threads on shutdown to avoid hung debug-monitor
// process" (2026-06-26).
// Shape 7 (uninterruptible blocking in a stoppable task): the accept thread
// honours m_running but is parked in accept(); Stop() clears the flag and
// close()s the socket, which on Linux does not wake a thread blocked in
// accept()/recv() on that fd, then join()s: the process never exits.
#include <atomic>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

class MonitorServer {
public:
    bool Start(int listen_fd) {
        m_server_socket = listen_fd;
        m_running = true;
        m_accept_thread = std::thread(&MonitorServer::AcceptLoop, this); // want: stop-cannot-wake
        return true;
    }
    void Stop() {
        m_running = false;
        close(m_server_socket);              // BUG: close() alone does not wake accept()
        if (m_accept_thread.joinable())
            m_accept_thread.join();          // hangs
    }
private:
    void AcceptLoop() {
        while (m_running) {
            int c = accept(m_server_socket, nullptr, nullptr);
            if (c < 0) continue;
            char buf[256];
            while (m_running && recv(c, buf, sizeof buf, 0) > 0) {}
            close(c);
        }
    }
    int m_server_socket = -1;
    std::atomic<bool> m_running{false};
    std::thread m_accept_thread;
};
