// Two processes on one database file: what they may do at once.
// The other process is this test binary again, started fresh (no connection is
// carried across fork), running the hidden test case "[.process-worker]".
#include <catch2/catch.hpp>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "helpers.hpp"

extern char** environ;

using namespace crm;

namespace {
// Starts this binary as a worker; `start_at` (ms since the epoch, 0 = at once) lets several
// workers begin their action at the same moment.
pid_t spawn_worker(const std::string& action, const std::string& path, long long start_at = 0) {
    std::string exe(4096, '\0');
    auto n = readlink("/proc/self/exe", exe.data(), exe.size() - 1);
    REQUIRE(n > 0);
    exe.resize(static_cast<std::size_t>(n));
    std::string a1 = "[.process-worker]";
    std::vector<std::string> env_store = {"CRM_WORKER_ACTION=" + action, "CRM_WORKER_PATH=" + path,
                                          "CRM_WORKER_START=" + std::to_string(start_at)};
    std::vector<char*> env;
    for (auto& e : env_store) env.push_back(e.data());
    for (char** e = environ; *e; ++e) env.push_back(*e);
    env.push_back(nullptr);
    char* argv[] = {exe.data(), a1.data(), nullptr};
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, exe.c_str(), nullptr, nullptr, argv, env.data()) == 0);
    return pid;
}

int wait_worker(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

int run_worker(const std::string& action, const std::string& path) { return wait_worker(spawn_worker(action, path)); }

long long epoch_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}
}  // namespace

// Runs only when started by run_worker: performs one action and reports through its exit status.
TEST_CASE("process worker", "[.process-worker]") {
    const char* action = std::getenv("CRM_WORKER_ACTION");
    const char* path = std::getenv("CRM_WORKER_PATH");
    if (!action || !path) return;
    const std::string a = action;
    if (const char* start = std::getenv("CRM_WORKER_START"))
        while (epoch_ms() < std::atoll(start)) std::this_thread::sleep_for(std::chrono::microseconds(200));
    OpenOptions o;
    o.busy_timeout_ms = a == "open-and-write" ? 10000 : 100;
    auto db = Db::open(path, o);
    if (!db && a == "open-and-write") {
        std::fprintf(stderr, "worker: %s\n", db.error().message.c_str());
        std::_Exit(db.error().code == errc::busy ? 40 : 41);
    }
    int code = 10;
    if (db) {
        if (a == "count") {
            auto n = db.value().contacts().count();
            code = n ? static_cast<int>(n.value()) : 11;
        } else if (a == "write" || a == "open-and-write") {
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

// A host that starts its workers at once, each opening the same brand-new file: creating
// the file, switching it to WAL and creating the schema wait for each other like any
// write (within the busy timeout); none of them gets busy at once.
TEST_CASE("processes: several processes opening one brand-new file at the same moment all succeed",
          "[db][concurrency]") {
    testing::TempDir dir;
    constexpr int kRounds = 12, kProcesses = 4;
    for (int round = 0; round < kRounds; ++round) {
        const auto path = dir.file(fmt::format("new-{}.crm", round));
        const long long start_at = epoch_ms() + 300;  // after every worker has started
        std::vector<pid_t> pids;
        for (int p = 0; p < kProcesses; ++p) pids.push_back(spawn_worker("open-and-write", path, start_at));
        std::vector<int> codes;
        for (auto pid : pids) codes.push_back(wait_worker(pid));
        INFO("round " << round << ": exit codes " << fmt::format("{}", fmt::join(codes, ",")));
        CHECK(std::all_of(codes.begin(), codes.end(), [](int c) { return c == 0; }));
        auto db = Db::open(path).value();
        CHECK(db.schema_version() == Db::latest_schema_version());
        CHECK(db.contacts().count().value() == kProcesses);
    }
}
