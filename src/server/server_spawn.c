#include "server/server_spawn.h"

#include "core/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

bool find_executable(const char *name, char *out, size_t out_size)
{
    struct stat st;
    if (strchr(name, '/')) {
        snprintf(out, out_size, "%s", name);
        return stat(name, &st) == 0 && S_ISREG(st.st_mode) && access(name, X_OK) == 0;
    }
    const char *path = getenv("PATH");
    for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
        size_t n = strcspn(p, ":");
        snprintf(out, out_size, "%.*s/%s", (int)n, p, name);
        if (n && stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0)
            return true;
        p += n + (p[n] == ':');
    }
    return false;
}

/* Between fork and exec only async-signal-safe calls: aswg has many threads. */
static void exec_child(const char *exe, char *const argv[], const char *workdir, int out_fd, int status_fd)
{
    setsid();
    int err = chdir(workdir) == 0 ? 0 : errno;
    int null_fd = open("/dev/null", O_RDONLY);
    if (!err && (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0))
        err = errno;
    if (!err) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_IGN);   /* inherited through exec: EPIPE instead of death */
        /* Nothing of aswg's (database, sockets) may leak into the game server. */
        if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
            for (int fd = 3; fd < 1024; fd++)
                fcntl(fd, F_SETFD, FD_CLOEXEC);
        }
        execv(exe, argv);
        err = errno;
    }
    ssize_t ignored = write(status_fd, &err, sizeof err);
    (void)ignored;
    _exit(127);
}

int spawn_process(char *const argv[], const char *workdir, spawned *out, char *err, size_t err_size)
{
    char exe[PATH_MAX];
    if (!find_executable(argv[0], exe, sizeof exe)) {
        snprintf(err, err_size, "%s is not an executable file", argv[0]);
        return -1;
    }
    int out_pipe[2], status_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0) {
        snprintf(err, err_size, "pipe: %s", strerror(errno));
        return -1;
    }
    if (pipe2(status_pipe, O_CLOEXEC) != 0) {
        snprintf(err, err_size, "pipe: %s", strerror(errno));
        close(out_pipe[0]);
        close(out_pipe[1]);
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0)
        exec_child(exe, argv, workdir, out_pipe[1], status_pipe[1]);
    close(out_pipe[1]);
    close(status_pipe[1]);
    int child_errno = 0;
    ssize_t n = pid > 0 ? read(status_pipe[0], &child_errno, sizeof child_errno) : -1;
    close(status_pipe[0]);
    if (pid < 0 || n > 0) {
        snprintf(err, err_size, "cannot start %s: %s", exe, strerror(pid < 0 ? errno : child_errno));
        if (pid > 0)
            waitpid(pid, NULL, 0);
        close(out_pipe[0]);
        return -1;
    }
    fcntl(out_pipe[0], F_SETFL, fcntl(out_pipe[0], F_GETFL) | O_NONBLOCK);
    out->pid = pid;
    out->out_fd = out_pipe[0];
    out->start_time = process_start_time(pid);
    return 0;
}

uint64_t process_start_time(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    /* The command name (field 2) may hold blanks and parentheses: count from the last ')'. */
    char *p = strrchr(buf, ')');
    if (!p)
        return 0;
    p++;
    for (int field = 2; field < 21 && p; field++)
        p = strchr(p + 1, ' ');
    return p ? strtoull(p + 1, NULL, 10) : 0;
}

int64_t process_start_wall_ms(uint64_t start_time)
{
    FILE *f = fopen("/proc/stat", "re");
    char line[256];
    long long boot = 0;
    while (f && boot <= 0 && fgets(line, sizeof line, f))
        if (strncmp(line, "btime ", 6) == 0)
            boot = strtoll(line + 6, NULL, 10);
    if (f)
        fclose(f);
    long ticks = sysconf(_SC_CLK_TCK);
    if (boot <= 0 || ticks <= 0 || start_time == 0)
        return 0;
    return (int64_t)boot * 1000 + (int64_t)(start_time * 1000 / (uint64_t)ticks);
}

bool process_is(pid_t pid, uint64_t start_time)
{
    uint64_t now = pid > 0 ? process_start_time(pid) : 0;
    return now != 0 && (start_time == 0 || now == start_time);
}

void process_exe_name(pid_t pid, char *out, size_t out_size)
{
    char path[64], target[PATH_MAX];
    snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
    ssize_t n = readlink(path, target, sizeof target - 1);
    target[n > 0 ? n : 0] = '\0';
    const char *slash = strrchr(target, '/');
    snprintf(out, out_size, "%s", slash ? slash + 1 : target);
}

void describe_exit(int wait_status, char *out, size_t out_size)
{
    if (WIFEXITED(wait_status))
        snprintf(out, out_size, "exit code %d", WEXITSTATUS(wait_status));
    else if (WIFSIGNALED(wait_status))
        snprintf(out, out_size, "killed by signal %d (SIG%s)", WTERMSIG(wait_status),
                 sigabbrev_np(WTERMSIG(wait_status)) ? sigabbrev_np(WTERMSIG(wait_status)) : "?");
    else
        snprintf(out, out_size, "status %d", wait_status);
}

int pid_file_write(const char *path, const spawned *p)
{
    char text[64];
    int n = snprintf(text, sizeof text, "%d\n%" PRIu64 "\n", (int)p->pid, p->start_time);
    return fs_write_atomic(path, text, (size_t)n, 0644);
}

int pid_file_read(const char *path, pid_t *pid, uint64_t *start_time)
{
    size_t len;
    char *text = fs_read_all(path, &len);
    if (!text)
        return -1;
    char *end;
    long v = strtol(text, &end, 10);
    *start_time = *end == '\n' ? strtoull(end + 1, NULL, 10) : 0;
    free(text);
    if (v <= 0 || v > INT32_MAX)
        return -1;
    *pid = (pid_t)v;
    return 0;
}
