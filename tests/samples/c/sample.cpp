// C++ sample: each "expect:" comment names the findings on its line; every other line has none.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <boost/system/error_code.hpp>
#include <sqlite3.h>

#define SHELL(x) std::system(x)  // expect: EL-C-SYSTEM
#define TRACE(...) std::fprintf(stderr, __VA_ARGS__)  // expect: EL-C-FORMAT
#define HELPER(x) helper.system(x)

namespace other {
int system(const char *cmd);
}

namespace util {
namespace other {
char *strcpy(char *dst, const char *src);
}
}

class Runner {
public:
    int system(const std::string &cmd);  // a method that happens to be called system
    char *getenv(const char *name) const;
    void run(const std::string &cmd) {
        system(cmd);  // calls Runner::system
    }
    int random = 0;
};

int Runner::system(const std::string &cmd) {
    return static_cast<int>(cmd.size()) + random;
}

char *Runner::getenv(const char *name) const {
    return const_cast<char *>(name);
}

struct Config {
    bool system;
    int rand;
};

class Job {
public:
    void start(const char *cmd) {
        system(cmd);  // expect: EL-C-SYSTEM
    }
};

void Job_helper(Runner &r, Runner *rp, Config cfg, const std::string &user, const char *arg) {
    char buf[32];
    std::strcpy(buf, arg);  // expect: EL-C-STRCPY
    ::strcpy(buf, arg);  // expect: EL-C-STRCPY
    ::std::strcat(buf, arg);  // expect: EL-C-STRCAT
    util::other::strcpy(buf, arg);
    std::system(user.c_str());  // expect: EL-C-SYSTEM
    ::system(arg);  // expect: EL-C-SYSTEM
    std::system(("ls " + user).c_str());  // expect: EL-C-SYSTEM
    other::system(arg);
    r.system(user);
    rp->system(user);
    r.run(user);
    boost::system::error_code ec;
    boost::system::system_category();
    bool sys = cfg.system;
    int n = cfg.rand + std::rand();  // a number with no secret-like name: not reported
    unsigned nonce = std::rand();  // expect: EL-C-RANDOM
    const char *home = std::getenv("HOME");  // expect: EL-C-GETENV
    const char *h2 = r.getenv("HOME");
    std::printf(arg);  // expect: EL-C-FORMAT
    std::printf("%s", arg);
    std::snprintf(buf, sizeof buf, R"(%s)", arg);
    std::sprintf(buf, R"(%s)", arg);  // expect: EL-C-SPRINTF
    std::string query = "SELECT * FROM t WHERE name = '" + user + "'";
    sqlite3 *db = nullptr;
    sqlite3_exec(db, query.c_str(), nullptr, nullptr, nullptr);  // expect: EL-C-SQL
    sqlite3_exec(db, ("DELETE FROM t WHERE id = " + user).c_str(), nullptr, nullptr, nullptr);  // expect: EL-C-SQL
    sqlite3_exec(db, "VACUUM", nullptr, nullptr, nullptr);
    auto fp = [](const char *c) { return popen(c, "r"); };  // expect: EL-C-SYSTEM
    SHELL(arg);
    (void)sys; (void)n; (void)home; (void)h2; (void)fp; (void)ec;
}

char *gets(char *);
int system(const char *);

static const char *kFormat = "%d\n";

void cpp_values(int n, const std::string &user, const char *path) {
    std::printf(kFormat, n);
    const char *cmd = "make";
    std::system(cmd);  // expect: EL-C-SYSTEM
    Runner system(user);
    Q_UNUSED(n)
    chmod(path, 0600);  // expect: EL-C-PATH-RACE
    FOO_BEGIN
    std::system(path);  // expect: EL-C-SYSTEM
}

// A buffer allocated for the string it then receives (its length and the NUL), and look-alikes.
char *copies(const std::string &scss, const Nan::Utf8String &string, const std::string &other) {
    char *cstr = (char *) malloc(scss.length() + 1);
    strcpy(cstr, scss.c_str());
    char *str = static_cast<char *>(malloc(string.length() + 1));
    strcpy(str, *string);
    char *mixed = static_cast<char *>(malloc(other.size() + 1));
    strcpy(mixed, scss.c_str());  // expect: EL-C-STRCPY
    char *tight = static_cast<char *>(malloc(scss.size()));
    strcpy(tight, scss.c_str());  // expect: EL-C-STRCPY
    free(str); free(mixed); free(tight);
    return cstr;
}
