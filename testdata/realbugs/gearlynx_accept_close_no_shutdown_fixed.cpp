// Fixed twin of gearlynx_accept_close_no_shutdown.cpp, from drhelius/Gearlynx
// debug_monitor_server.cpp (Start/AcceptLoop/Stop).
// Fix: drhelius/Gearlynx c34b3df34a89281443ceeb19cc256f22d5df9be7
// "Wake blocked socket threads on shutdown to avoid hung debug-monitor
// process" (2026-06-26).
// The fix calls shutdown(fd, SHUT_RDWR) before close(), which makes the
// accept() in the other thread return with an error; the loop then exits.
#include <atomic>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

class MonitorServer {
public:
    bool Start(int listen_fd) {
        m_server_socket = listen_fd;
        m_running = true;
        m_accept_thread = std::thread(&MonitorServer::AcceptLoop, this);
        return true;
    }
    void Stop() {
        m_running = false;
        shutdown(m_server_socket, SHUT_RDWR);
        close(m_server_socket);
        if (m_accept_thread.joinable())
            m_accept_thread.join();          // hangs
    }
private:
    void AcceptLoop() {
        while (m_running) {
            int c = accept(m_server_socket, nullptr, nullptr);
            if (c < 0) break;
            char buf[256];
            while (m_running && recv(c, buf, sizeof buf, 0) > 0) {}
            close(c);
        }
    }
    int m_server_socket = -1;
    std::atomic<bool> m_running{false};
    std::thread m_accept_thread;
};
