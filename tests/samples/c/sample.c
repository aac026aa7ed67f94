/* C sample: each "expect:" comment names the findings on its line; every other line has none.
 * Look-alikes that must stay quiet: strcpy(a, b) and system(cmd) in this comment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <syslog.h>
#include <openssl/evp.h>
#include <openssl/md5.h>
#include <openssl/sha.h>
#include <sqlite3.h>
#include <mysql.h>
#include <libpq-fe.h>

#include <limits.h>
#include <windows.h>

#define RUN(cmd) system(cmd)  // expect: EL-C-SYSTEM
#define COPY(a, b) strcpy(a, b)  // expect: EL-C-STRCPY
#define NAME_MAX_LEN 64
#define LOG(...) fprintf(stderr, __VA_ARGS__)  // expect: EL-C-FORMAT
#define LOGF(fmt, x) snprintf(logbuf, sizeof logbuf, fmt, x)  // expect: EL-C-FORMAT
#define WARN(msg) fprintf(stderr, "%s\n", msg)
#define SHOUT(msg) printf(#msg)
#define QUOTE_CALL(x) "system(x) is only text here"
#define PASTED(p) p ## system(cmd)
#define RUN_ALL(list) do { \
        size_t i_ = 0; \
        system(list[i_]); /* expect: EL-C-SYSTEM */ \
    } while (0)
#define chmod(F, P) (0)
#pragma message("system(x) in a pragma is text")
#define PROG "/usr/bin/gzip"
#define USAGE "usage: %s [-v] file\n"
#define NAME_FMT "%s|"
#define LIST_CMD "ls -l"
#define LONG_NAME "a name far longer than the eight bytes of the small buffer"
#define PATH_BUF (PATH_MAX + 1)

char *gets(char *s);
extern int system(const char *command);
int (*runner)(const char *) = system;

struct ops {
    int (*system)(const char *);
    char *(*strcpy)(char *, const char *);
    int random;
};

static const char *banner = "call system(\"rm -rf /\") and strcpy(dst, src) later";

void buffers(char *input, const char *name, FILE *fp) {
    char buf[64];
    wchar_t wbuf[64];
    strcpy(buf, input);  // expect: EL-C-STRCPY
    strcpy(buf, "constant");  // fits the 64 bytes declared above
    wcscpy(wbuf, L"wide");
    strcpy((char *)name, "constant");  // expect: EL-C-STRCPY
    strcat(buf, input);  // expect: EL-C-STRCAT
    wcscat(wbuf, (const wchar_t *)input);  // expect: EL-C-STRCAT
    stpcpy(buf, name);  // expect: EL-C-STRCPY
    strncat(buf, input, sizeof(buf));  // expect: EL-C-STRNCAT
    strncat(buf, input, NAME_MAX_LEN - 1);  // expect: EL-C-STRNCAT
    strncat(buf, input, sizeof(buf) - strlen(buf) - 1);
    strncpy(buf, input, sizeof buf);
    gets(buf);  // expect: EL-C-GETS
    sprintf(buf, "%s/%s", name, input);  // expect: EL-C-SPRINTF
    sprintf(buf, "%-20s|", name);  // expect: EL-C-SPRINTF
    sprintf(buf, "%d items", 3);
    sprintf(buf, "%.20s", name);
    sprintf(buf, "100%%s done");
    sprintf(buf, input);  // expect: EL-C-SPRINTF
    snprintf(buf, sizeof buf, "%s", input);
    scanf("%s", buf);  // expect: EL-C-SCANF
    scanf("%63s", buf);
    scanf("%d", &buf[0]);
    scanf("%*s %63s", buf);
    fscanf(fp, "%d %[^\n]", &buf[0], buf);  // expect: EL-C-SCANF
    sscanf(input, "%s", buf);  // expect: EL-C-SCANF
    sscanf(input, "%ms", &name);
    sscanf(input, name, buf);  // expect: EL-C-SCANF
    fscanf(fp,  // expect: EL-C-SCANF
           "%s", buf);  // reported on the line where the call starts, not here
    strecpy(buf, input, NULL);  // expect: EL-C-STRECPY
    strtrns(input, "abc", "xyz", buf);  // expect: EL-C-STRECPY
    realpath(input, buf);  // expect: EL-C-UNSIZED-BUFFER
    free(realpath(input, NULL));
    getwd(buf);  // expect: EL-C-UNSIZED-BUFFER
    getcwd(buf, sizeof buf);
    memcpy(buf, input, 10);
}

void formats(const char *msg, FILE *fp, va_list ap) {
    char buf[128];
    printf(msg);  // expect: EL-C-FORMAT
    printf("%s\n", msg);
    printf(_("Hello %s\n"), msg);
    printf(gettext("Hello %s\n"), msg);
    fprintf(stderr, msg);  // expect: EL-C-FORMAT
    fprintf(stderr, "%s", msg);
    fprintf(fp, "%" PRIu64 " bytes\n", (uint64_t)1);
    syslog(LOG_ERR, msg);  // expect: EL-C-FORMAT
    syslog(LOG_ERR, "%s", msg);
    snprintf(buf, sizeof buf, msg);  // expect: EL-C-FORMAT
    vprintf(msg, ap);  // expect: EL-C-FORMAT
    vfprintf(stderr, msg, ap);  // expect: EL-C-FORMAT
    vsnprintf(buf, sizeof buf, "%d", ap);
    dprintf(2, msg);  // expect: EL-C-FORMAT
    puts(msg);
}

void commands(const char *file, char **argv) {
    char cmd[256];
    snprintf(cmd, sizeof cmd, "lpr %s", file);
    system(cmd);  // expect: EL-C-SYSTEM
    system("ls -l");  // expect: EL-C-SYSTEM
    (system)(cmd);  // expect: EL-C-SYSTEM
    FILE *p = popen(cmd, "r");  // expect: EL-C-SYSTEM
    execvp(argv[0], argv);  // expect: EL-C-EXEC
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);  // expect: EL-C-EXEC
    execl("/bin/sh", "sh", "-c", "ls", (char *)NULL);
    execv("/bin/sh", argv);  // expect: EL-C-EXEC
    execv("/usr/bin/convert", argv);
    execlp("lpr", "lpr", "--", file, (char *)NULL);
    struct ops o;
    struct ops *op = &o;
    o.system(cmd);
    op->system(cmd);
    op->strcpy(cmd, file);
    RUN(cmd);
    pclose(p);
}

void files(const char *path, int fd) {
    if (access(path, R_OK) == 0) {  // expect: EL-C-ACCESS
        chmod(path, 0600);  // expect: EL-C-PATH-RACE
    }
    chown(path, 0, 0);  // expect: EL-C-PATH-RACE
    fchmod(fd, 0600);
    fchown(fd, 0, 0);
    char link[256];
    readlink(path, link, sizeof link);  // expect: EL-C-PATH-RACE
    readlink("/proc/self/exe", link, sizeof link);  /* the kernel's link for this process */
    readlink("/proc/1/exe", link, sizeof link);  // expect: EL-C-PATH-RACE
    char tmpl[] = "/tmp/xXXXXXX";
    mktemp(tmpl);  // expect: EL-C-TMPNAM
    char *t = tmpnam(NULL);  // expect: EL-C-TMPNAM
    char *u = tempnam("/tmp", "x");  // expect: EL-C-TMPNAM
    int sfd = mkstemp(tmpl);
    chroot(path);  // expect: EL-C-CHROOT
    (void)t; (void)u; (void)sfd;
}

void identity(void) {
    const char *home = getenv("HOME");  // expect: EL-C-GETENV
    if (getenv("DEBUG")) puts("debug");
    if (getenv("A") == NULL || NULL != getenv("B")) return;
    if (!strcmp(getenv("TERM"), "screen") || strcmp("xterm", getenv("TERM")) == 0) return;
    int n = atoi(getenv("COUNT")) + (int) strtol(getenv("LIMIT"), NULL, 10);
    puts(getenv("USER"));  // expect: EL-C-GETENV
    if (puts(getenv("USER"))) return;  // expect: EL-C-GETENV
    strcpy(out, getenv("PATH"));  // expect: EL-C-GETENV, EL-C-STRCPY
    const char *safe = secure_getenv("HOME");
    char *who = getlogin();  // expect: EL-C-GETLOGIN
    char *pw = getpass("Password: ");  // expect: EL-C-GETPASS
    int c = getopt(0, NULL, "ab:");  // expect: EL-C-GETOPT
    (void)home; (void)safe; (void)who; (void)pw; (void)c;
}

/* A macro whose format parameter every use fills with a string literal: a constant format. */
#define metric_oid(f, n) ret = snprintf(oid, 4096, f, n); if (ret <= 1) { puts(f); }
#define say(f, n) printf(f, n)  // expect: EL-C-FORMAT
void metrics(int i, const char *user) {
    char oid[4096]; int ret;
    metric_oid("3.%d.1", i);
    metric_oid("3.%d." "2", i);
    say("%d", i);
    say(user, i);
    (void)ret;
}

/* A buffer allocated for the string it then receives: its length and the NUL. */
char *duplicate(const char *str, const char *other, size_t extra) {
    char *ret = (char *) malloc(strlen(str) + 1);
    strcpy(ret, str);
    wchar_t *wide = malloc((wcslen((const wchar_t *) str) + 1) * sizeof(wchar_t));
    wcscpy(wide, (const wchar_t *) str);
    char *short_one = malloc(strlen(str));
    strcpy(short_one, str);  // expect: EL-C-STRCPY
    char *wrong = malloc(strlen(other) + 1);
    strcpy(wrong, str);  // expect: EL-C-STRCPY
    char *less = malloc(strlen(str) - extra + 1);
    strcpy(less, str);  // expect: EL-C-STRCPY
    free(wide); free(short_one); free(wrong); free(less);
    return ret;
}

/* Stored, then only tested, compared or read as a number: nothing of it reaches a buffer. */
int switches(char *out) {
    char *noenv = getenv("SPT_NOENV");
    if (!noenv || !*noenv) return 0;
    const char *term;
    term = getenv("TERM");
    if (term && strcmp(term, "screen") == 0) return 1;
    char *fds = getenv("LISTEN_FDS");
    int n = fds ? atoi(fds) : 0;
    char *home = getenv("HOME");  // expect: EL-C-GETENV
    if (home && *home) strcpy(out, home);  // expect: EL-C-STRCPY
    char *shell = getenv("SHELL");  // expect: EL-C-GETENV
    if (shell) puts(shell);
    return n;
}

unsigned crypto(const unsigned char *d, size_t n, unsigned char *out, const char *pw) {
    srand(42);  // expect: EL-C-RANDOM
    unsigned r = rand() + random();  // expect: EL-C-RANDOM, EL-C-RANDOM
    long l = lrand48();  // expect: EL-C-RANDOM
    char *h = crypt(pw, "ab");  // expect: EL-C-CRYPT
    MD5(d, n, out);  // expect: EL-C-WEAK-HASH
    SHA1(d, n, out);  // expect: EL-C-WEAK-HASH
    SHA256(d, n, out);
    const EVP_MD *md = EVP_md5();  // expect: EL-C-WEAK-HASH
    const EVP_MD *ok = EVP_sha256();
    const EVP_MD *byname = EVP_get_digestbyname("sha1");  // expect: EL-C-WEAK-HASH
    const EVP_MD *good = EVP_get_digestbyname("sha512");
    const EVP_CIPHER *c1 = EVP_des_cbc();  // expect: EL-C-WEAK-CIPHER
    const EVP_CIPHER *c2 = EVP_rc4();  // expect: EL-C-WEAK-CIPHER
    const EVP_CIPHER *c3 = EVP_aes_256_gcm();
    const EVP_CIPHER *c4 = EVP_get_cipherbyname("des-ede3-cbc");  // expect: EL-C-WEAK-CIPHER
    const EVP_CIPHER *c5 = EVP_get_cipherbyname("aes-256-gcm");
    getrandom(&r, sizeof r, 0);
    (void)h; (void)md; (void)ok; (void)byname; (void)good; (void)c1; (void)c2; (void)c3; (void)c4; (void)c5;
    return r + (unsigned)l;
}

void sql(sqlite3 *db, MYSQL *my, PGconn *pg, const char *name) {
    char q[256];
    snprintf(q, sizeof q, "SELECT * FROM users WHERE name = '%s'", name);
    sqlite3_exec(db, q, 0, 0, 0);  // expect: EL-C-SQL
    sqlite3_exec(db, "DELETE FROM cache", 0, 0, 0);
    mysql_query(my, q);  // expect: EL-C-SQL
    mysql_query(my, "SELECT 1");
    PQexec(pg, q);  // expect: EL-C-SQL
    const char *params[1] = {name};
    PQexecParams(pg, "SELECT * FROM users WHERE name = $1", 1, NULL, params, NULL, NULL, 0);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "SELECT * FROM users WHERE name = ?", -1, &st, NULL);
}

static const char *usage_text = "usage: prog [-v]\n";
static const char *greeting = "hello";
void set_greeting(const char *g) { greeting = g; }

void constants(const char *path, char **argv, const char *user, char *out) {
    char resolved[PATH_MAX + 1];
    char resolved2[PATH_BUF];
    char *heap = malloc(PATH_MAX + 1);
    char *wrapped = app_xmalloc(PATH_MAX + 1);  /* a project's own malloc wrapper */
    char *tiny = app_xmalloc(16);
    char *zeroed = app_calloc(PATH_MAX + 1);  /* a wrapper of calloc that takes the byte count */
    char *zeroed_small = app_calloc(64);
    char small[8];
    char line[64];
    realpath(path, resolved);
    realpath(path, resolved2);
    realpath(path, heap);
    realpath(path, wrapped);
    realpath(path, tiny);  // expect: EL-C-UNSIZED-BUFFER
    realpath(path, zeroed);
    realpath(path, zeroed_small);  // expect: EL-C-UNSIZED-BUFFER
    realpath(path, small);  // expect: EL-C-UNSIZED-BUFFER
    getwd(resolved);
    strcpy(line, PROG);
    strcpy(small, LONG_NAME);  // expect: EL-C-STRCPY
    strcpy(out, PROG);  // expect: EL-C-STRCPY
    strcpy(line, user);  // expect: EL-C-STRCPY
    strcpy(out, "");
    char prefix[] = "errors.";
    strcpy(line, prefix);
    printf(USAGE, argv[0]);
    printf(usage_text);
    printf(greeting);  // expect: EL-C-FORMAT
    sprintf(line, NAME_FMT, user);  // expect: EL-C-SPRINTF
    system(LIST_CMD);  // expect: EL-C-SYSTEM
    const char *cmd = "ls";
    system(cmd);  // expect: EL-C-SYSTEM
    char *args[4];
    args[0] = PROG;
    args[1] = "-d";
    args[2] = NULL;
    execv(args[0], args);
    argv[0] = "/bin/true";
    execv(argv[0], argv);
    const char *vec[] = {"/bin/ls", "-l", NULL};
    execv(vec[0], (char **)vec);
    if (user != NULL)
        argv[1] = (char *)user;
    execvp(argv[1], argv);  // expect: EL-C-EXEC
    strncat(line, user, 64);  // expect: EL-C-STRNCAT
    strncat(line, user, 10);
    LOG("%d\n", 1);
    RUN_ALL(argv);
    free(heap);
}

void lost(const char *path, char *dst) {
    Py_BEGIN_ALLOW_THREADS
    strcpy(dst, path);  // expect: EL-C-STRCPY
    Py_END_ALLOW_THREADS
    LOCK(mutex) chown(path, 0, 0);  // expect: EL-C-PATH-RACE
}

int lost_in_if(const char *path) {
    DEBUG_ENTER
    if (access(path, R_OK) == 0) {  // expect: EL-C-ACCESS
        return 1;
    }
    return 0;
}

int prototypes_in_a_body(void) {
    extern char *getenv(const char *);
    int rand(void);
    MACRO_TYPE getlogin(void);
    return 0;
}

void windows(const char *plugin) {
    CRITICAL_SECTION cs;
    InitializeCriticalSection(&cs);  // expect: EL-C-CRITICAL-SECTION
    InitializeCriticalSectionAndSpinCount(&cs, 4000);
    HMODULE a = LoadLibrary("fribidi");  // expect: EL-C-LOADLIBRARY
    HMODULE b = LoadLibraryA(plugin);  // expect: EL-C-LOADLIBRARY
    HMODULE c = LoadLibraryW(L"C:\\Windows\\System32\\bcrypt.dll");
    HMODULE d = LoadLibraryExW(L"bcrypt.dll", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
    HMODULE e = LoadLibraryExA("x.dll", NULL, 0);  // expect: EL-C-LOADLIBRARY
    HMODULE f = LoadLibraryExW(full_path, NULL, LOAD_WITH_ALTERED_SEARCH_PATH);  /* needs an absolute path */
    HMODULE g = LoadLibraryExW(full_path, NULL, 0);  // expect: EL-C-LOADLIBRARY
    (void)a; (void)b; (void)c; (void)d; (void)e; (void)f; (void)g;
}

/* realpath into a field allocated just above, or a buffer of a project's PATH_MAX, and look-alikes. */
struct dirs { char *value; char *key; char *other; };
void resolve(struct dirs *udd, struct dirs *s, const char *p, int x) {
    udd->value = malloc(PATH_MAX + 1);
    if (!realpath(udd->key, udd->value)) {
        free(udd->value);
    }
    s->value = malloc(64);
    realpath(p, s->value);  // expect: EL-C-UNSIZED-BUFFER
    s->value = (char *) malloc(PATH_MAX);
    realpath(p, s->other);  // expect: EL-C-UNSIZED-BUFFER
    if (x)
        s->value = malloc(PATH_MAX);
    realpath(p, s->value);  // expect: EL-C-UNSIZED-BUFFER
    char abspath[PYI_PATH_MAX];
    char twice[PATH_MAX * 2 + 1];
    realpath(p, abspath);
    realpath(p, twice);
}

/* A copy inside a test of the source's length, into a buffer that holds that much, and look-alikes. */
#define SCRIPT_NAME_LEN 256
typedef struct { char script_name[SCRIPT_NAME_LEN]; char scheme[9]; struct sockaddr_un sa; } cfg_t;
void configure(cfg_t *c, const char *location, const char *scheme, const char *path) {
    if (strlen(location) <= 255 && location[0] == '/') {
        strcpy(c->script_name, location);
    }
    if (strlen(scheme) < 9 && strlen(scheme) > 0) {
        strcpy(c->scheme, scheme);
    }
    if (strlen(scheme) < 10) {
        strcpy(c->scheme, scheme);  // expect: EL-C-STRCPY
    }
    if (path[0] == '/') {
        puts(path);
    }
    else if (strlen(path) < 104) {
        strcpy(c->sa.sun_path, path);
    }
    if (strlen(path) < 104) {
        strcpy(c->sa.sun_path, scheme);  // expect: EL-C-STRCPY
    }
    char local[16];
    if (strlen(path) < 16) strcpy(local, path);
    if (strlen(path) < 17) strcpy(local, path);  // expect: EL-C-STRCPY
}

/* Look-alikes a review found: a length test with another way in, a copy in the else branch, the
   source written after the test or the allocation, a field name that another struct declares as a
   pointer, bytes for wide characters, a small UNIX_PATH_MAX, and /proc/self/root. */
struct named { char *label; };
struct sized { char label[256]; };
void reviewed(const char *src, int trusted, const char **names, int n, struct named *u, const wchar_t *w) {
    char buf[256];
    if (strlen(src) < 256 || trusted) strcpy(buf, src);  // expect: EL-C-STRCPY
    if (strlen(src) < 256) puts("short"); else strcpy(buf, src);  // expect: EL-C-STRCPY
    if (strlen(src) < 256) {
        src = names[0];
        strcpy(buf, src);  // expect: EL-C-STRCPY
    }
    if (strlen(src) < 256) strcpy(u->label, src);  // expect: EL-C-STRCPY
    char *dst = malloc(strlen(src) + 1);
    for (int i = 0; i < n; i++) {
        src = names[i];
        strcpy(dst, src);  // expect: EL-C-STRCPY
    }
    wchar_t *wd = malloc(wcslen(w) + 1);
    wcscpy(wd, w);  // expect: EL-C-STRCPY
    char resolved[UNIX_PATH_MAX];
    realpath(src, resolved);  // expect: EL-C-UNSIZED-BUFFER
    chmod("/proc/self/root/tmp/app.sock", 0666);  // expect: EL-C-PATH-RACE
}
