/* Starting and recognising the processes aswg supervises (the game server, SteamCMD):
 * fork + exec without a shell, in a session of their own, output through one pipe. */
#ifndef ASWG_SERVER_SERVER_SPAWN_H
#define ASWG_SERVER_SERVER_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct spawned {
    pid_t pid;
    int out_fd;             /* read end of the child's stdout+stderr (non-blocking, CLOEXEC) */
    uint64_t start_time;    /* /proc/<pid>/stat start time, to tell it from a later reuse of the pid */
} spawned;

/* Starts argv[0] (a path, or a name looked up in PATH) in workdir. The child gets its own
 * session (so signals aimed at aswg's terminal do not reach it), an empty signal mask and
 * SIGPIPE ignored (it keeps running if aswg goes away). Returns 0, or -1 with the reason in err
 * (exec failures included: they are reported back through a close-on-exec pipe). */
int spawn_process(char *const argv[], const char *workdir, spawned *out, char *err, size_t err_size);

/* The start time of pid from /proc (0 when there is no such process). */
uint64_t process_start_time(pid_t pid);
/* That start time as wall-clock milliseconds (boot time + ticks); 0 when unknown. */
int64_t process_start_wall_ms(uint64_t start_time);
/* Whether pid is alive and still the process that started at start_time. */
bool process_is(pid_t pid, uint64_t start_time);
/* The file name of pid's executable ("" when unknown). */
void process_exe_name(pid_t pid, char *out, size_t out_size);

/* Whether name can be executed: a path that exists and is executable, or a name found in PATH.
 * The resolved path goes to out. */
bool find_executable(const char *name, char *out, size_t out_size);

/* "exit code 1", "killed by signal 11 (SIGSEGV)". */
void describe_exit(int wait_status, char *out, size_t out_size);

/* <server dir>/arma_server.pid: "<pid>\n<start time>\n" (ASWG wrote the bare pid; read both). */
int pid_file_write(const char *path, const spawned *p);
int pid_file_read(const char *path, pid_t *pid, uint64_t *start_time);

#endif
