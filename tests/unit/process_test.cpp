// Two processes on one database file: what they may do at once.
// The other process is this test binary again, started fresh (no connection is
// carried across fork), running the hidden test case "[.process-worker]".
#include <catch2/catch.hpp>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include "helpers.hpp"

extern char** environ;

using namespace crm;

namespace {
int run_worker(const std::string& action, const std::string& path) {
    std::string exe(4096, '\0');
    auto n = readlink("/proc/self/exe", exe.data(), exe.size() - 1);
    REQUIRE(n > 0);
    exe.resize(static_cast<std::size_t>(n));
    std::string a1 = "[.process-worker]";
    std::vector<std::string> env_store = {"CRM_WORKER_ACTION=" + action, "CRM_WORKER_PATH=" + path};
    std::vector<char*> env;
    for (auto& e : env_store) env.push_back(e.data());
    for (char** e = environ; *e; ++e) env.push_back(*e);
    env.push_back(nullptr);
    char* argv[] = {exe.data(), a1.data(), nullptr};
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, exe.c_str(), nullptr, nullptr, argv, env.data()) == 0);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}
}  // namespace

// Runs only when started by run_worker: performs one action and reports through its exit status.
TEST_CASE("process worker", "[.process-worker]") {
    const char* action = std::getenv("CRM_WORKER_ACTION");
    const char* path = std::getenv("CRM_WORKER_PATH");
    if (!action || !path) return;
    OpenOptions o;
    o.busy_timeout_ms = 100;
    auto db = Db::open(path, o);
    int code = 10;
    if (db) {
        const std::string a = action;
        if (a == "count") {
            auto n = db.value().contacts().count();
            code = n ? static_cast<int>(n.value()) : 11;
        } else if (a == "write") {
            auto r = db.value().contacts().create(testing::contact("別プロセス"));
            code = r ? 0 : (r.error().code == errc::busy ? 50 : 12);
        }
    }
    std::_Exit(code);
}

TEST_CASE("processes: a reader in another process runs beside a writer; a second writer waits then gets busy",
          "[db][concurrency]") {
    testing::TempDir dir;
    const auto path = dir.file("two-procs.crm");
    auto db = Db::open(path).value();
    REQUIRE(db.contacts().create(testing::contact("最初の顧客")));

    auto tx = db.begin().value();
    REQUIRE(db.contacts().create(testing::contact("未確定")));
    CHECK(run_worker("count", path) == 1);   // sees committed rows only, not blocked
    CHECK(run_worker("write", path) == 50);  // waits busy_timeout, then busy; writes nothing
    REQUIRE(tx.commit());

    CHECK(run_worker("count", path) == 2);
    CHECK(run_worker("write", path) == 0);
    CHECK(db.contacts().count().value() == 3);
}
