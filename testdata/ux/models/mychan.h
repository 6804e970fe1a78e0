typedef struct mychan mychan;
mychan *mychan_new(int capacity);       /* 0 = unbuffered (rendezvous) */
void mychan_send(mychan *c, int v);     /* blocks until a receiver takes v */
int mychan_recv(mychan *c);             /* blocks until a sender arrives */
void mychan_close(mychan *c);           /* wakes every blocked sender/receiver */
