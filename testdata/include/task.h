/* task.h - declaration-only stand-in for Russ Cox's libtask <task.h>
 * (mirror 0intro/libtask), written for leaklint's fixtures. The API has no
 * macros. Not for linking. */
#ifndef _TASK_H_
#define _TASK_H_ 1

#ifdef __cplusplus
extern "C" {
#endif

typedef struct Task Task;
typedef struct Tasklist Tasklist;

int taskcreate(void (*f)(void *arg), void *arg, unsigned int stacksize);
void taskexit(int);
void taskexitall(int);
void taskmain(int argc, char *argv[]);
int taskyield(void);
void tasksystem(void);
unsigned int taskdelay(unsigned int);
unsigned int taskid(void);

struct Tasklist { Task *head; Task *tail; };

typedef struct Rendez Rendez;
typedef struct QLock QLock;
struct QLock { Task *owner; Tasklist waiting; };
struct Rendez { QLock *l; Tasklist waiting; };
void qlock(QLock *);
void qunlock(QLock *);
void tasksleep(Rendez *);
int taskwakeup(Rendez *);
int taskwakeupall(Rendez *);

typedef struct Alt Alt;
typedef struct Altarray Altarray;
typedef struct Channel Channel;
enum { CHANEND, CHANSND, CHANRCV, CHANNOP, CHANNOBLK };
struct Alt { Channel *c; void *v; unsigned int op; Task *task; Alt *xalt; };
struct Altarray { Alt **a; unsigned int n; unsigned int m; };
struct Channel {
  unsigned int bufsize;
  unsigned int elemsize;
  unsigned char *buf;
  unsigned int nbuf;
  unsigned int off;
  Altarray asend;
  Altarray arecv;
  char *name;
};

int chanalt(Alt *alts);
Channel *chancreate(int elemsize, int elemcnt);
void chanfree(Channel *c);
int chaninit(Channel *c, int elemsize, int elemcnt);
int channbrecv(Channel *c, void *v);
void *channbrecvp(Channel *c);
unsigned long channbrecvul(Channel *c);
int channbsend(Channel *c, void *v);
int channbsendp(Channel *c, void *v);
int channbsendul(Channel *c, unsigned long v);
int chanrecv(Channel *c, void *v);
void *chanrecvp(Channel *c);
unsigned long chanrecvul(Channel *c);
int chansend(Channel *c, void *v);
int chansendp(Channel *c, void *v);
int chansendul(Channel *c, unsigned long v);

#ifdef __cplusplus
}
#endif
#endif
