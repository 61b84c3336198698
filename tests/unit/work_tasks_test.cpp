// Tasks (B6): records, links, due/overdue in the user's zone, reminders exactly once across processes.
#include <catch2/catch.hpp>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <set>

#include "helpers.hpp"

extern char** environ;

using namespace crm;

namespace {
// 2026-11-24T00:00:00+09:00 = 2026-11-23T15:00:00Z
const Timestamp kJstMidnight = parse_iso8601("2026-11-24T00:00:00+09:00").value();
constexpr Timestamp kHour = 3'600'000;

Task task(const std::string& title, std::optional<Timestamp> due = std::nullopt) {
    Task t;
    t.title = title;
    t.due_at = due;
    return t;
}

std::vector<std::string> titles(const std::vector<Task>& ts) {
    std::vector<std::string> out;
    for (const auto& t : ts) out.push_back(t.title);
    return out;
}

pid_t spawn_worker(const std::string& path, const std::string& out_file, int index) {
    std::string exe(4096, '\0');
    auto n = readlink("/proc/self/exe", exe.data(), exe.size() - 1);
    REQUIRE(n > 0);
    exe.resize(static_cast<std::size_t>(n));
    std::string a1 = "[.task-reminder-worker]";
    std::vector<std::string> env_store = {"CRM_TASK_WORKER_PATH=" + path, "CRM_TASK_WORKER_OUT=" + out_file,
                                          "CRM_TASK_WORKER_NAME=worker-" + std::to_string(index)};
    std::vector<char*> env;
    for (auto& e : env_store) env.push_back(e.data());
    for (char** e = environ; *e; ++e) env.push_back(*e);
    env.push_back(nullptr);
    char* argv[] = {exe.data(), a1.data(), nullptr};
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, exe.c_str(), nullptr, nullptr, argv, env.data()) == 0);
    return pid;
}
}  // namespace

TEST_CASE("tasks: create, get, update with history, Japanese text, links to existing records", "[tasks]") {
    testing::TempDir dir;
    auto db = Db::open(dir.file("t.crm")).value();
    testing::FakeClock clock;
    clock.install(db);
    User u;
    u.name = "佐藤 花子";
    u.email = "hanako@example.jp";
    const Id rep = db.users().create(u).value();
    const Id yamada = db.contacts().create(testing::contact("山田 太郎", "taro@example.jp")).value();
    Account a;
    a.name = "株式会社サンプル";
    const Id acme = db.accounts().create(a).value();

    Task t = task("見積書を送る", kJstMidnight + 10 * kHour);
    t.notes = "山田様へ、来週の打ち合わせ前に";
    t.assignee_id = rep;
    t.priority = TaskPriority::high;
    t.links = {{Entity::contact, yamada}, {Entity::account, acme}, {Entity::contact, yamada}};
    const Id id = db.tasks().create(t).value();
    auto got = db.tasks().get(id).value();
    CHECK(got.title == "見積書を送る");
    CHECK(got.notes == "山田様へ、来週の打ち合わせ前に");
    CHECK(got.assignee_id == rep);
    CHECK(got.status == TaskStatus::open);
    CHECK(got.priority == TaskPriority::high);
    REQUIRE(got.links.size() == 2);  // de-duplicated, sorted
    CHECK(got.links[0] == RecordLink{Entity::account, acme});
    CHECK(got.links[1] == RecordLink{Entity::contact, yamada});
    CHECK_FALSE(got.completed_at);

    clock.advance(1000);
    got.status = TaskStatus::done;
    REQUIRE(db.tasks().update(got));
    auto done = db.tasks().get(id).value();
    CHECK(done.completed_at == *clock.now);
    auto hist = db.tasks().history(id).value();
    REQUIRE(hist.size() == 3);  // create, status, completed_at
    CHECK(std::any_of(hist.begin(), hist.end(), [](const Change& c) { return c.field == "status"; }));

    auto patched = db.tasks().patch(id, R"({"status":"open"})").value();
    CHECK_FALSE(patched.completed_at);  // leaving done clears it

    CHECK(db.tasks().for_record(Entity::contact, yamada).value().size() == 1);
    CHECK(db.tasks().count({{"assignee_id", Op::eq, std::to_string(rep)}}).value() == 1);
    ListOptions lo;
    lo.where = {{"priority", Op::eq, "high"}};
    auto listed = db.tasks().list(lo).value();
    CHECK(titles(listed.items) == std::vector<std::string>{"見積書を送る"});

    REQUIRE(db.tasks().remove(id));
    CHECK(db.tasks().get(id).error().code == errc::not_found);
    CHECK(db.tasks().get_as_of(id, *clock.now - 1).value().title == "見積書を送る");
}

TEST_CASE("tasks: bad input is refused with the field named and nothing changed", "[tasks][bad-input]") {
    testing::TempDir dir;
    const auto path = dir.file("bad.crm");
    auto db = Db::open(path).value();
    const Id c = db.contacts().create(testing::contact("鈴木 一郎")).value();
    const Id id = db.tasks().create(task("電話する")).value();
    const auto before = testing::dump(path);

    auto check = [&](Task t, const std::string& field, errc code = errc::invalid_argument) {
        auto r = db.tasks().create(t);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == code);
        CHECK(r.error().field == field);
        CHECK(testing::dump(path) == before);
    };
    check(task("  "), "title");
    Task t = task("担当者なし");
    t.assignee_id = 999;
    check(t, "assignee_id");
    t = task("リンク先なし");
    t.links = {{Entity::contact, c + 100}};
    check(t, "links[0]");
    t = task("ない表");
    t.links = {{Entity::ticket, 1}};  // another area's table may not exist in this build
    {
        // Only when that table is missing; otherwise the row is simply not there.
        auto r = db.tasks().create(t);
        REQUIRE_FALSE(r);
        CHECK(r.error().field == "links[0]");
    }
    CHECK(testing::dump(path) == before);
    auto p = db.tasks().patch(id, R"({"status":"finished"})");
    REQUIRE_FALSE(p);
    CHECK(p.error().field == "status");
    CHECK(db.tasks().patch(id, R"({"due_at":"tomorrow"})").error().field == "due_at");
    CHECK(testing::dump(path) == before);
    // A user with tasks cannot be deleted (foreign key), and nothing changes.
    User u;
    u.name = "担当 次郎";
    u.email = "jiro@example.jp";
    const Id rep = db.users().create(u).value();
    Task mine = task("担当あり");
    mine.assignee_id = rep;
    REQUIRE(db.tasks().create(mine));
    const auto with_user = testing::dump(path);
    CHECK(db.users().remove(rep).error().code == errc::constraint_violation);
    CHECK(testing::dump(path) == with_user);
    CHECK(parse_utc_offset("+09:00").value() == 540);
    CHECK(parse_utc_offset("-0530").value() == -330);
    CHECK(parse_utc_offset("Z").value() == 0);
    CHECK_FALSE(parse_utc_offset("JST"));
    CHECK_FALSE(parse_utc_offset("+25:00"));
}

TEST_CASE("tasks: due today in +09:00, overdue, per assignee, keyset paging", "[tasks][due]") {
    auto db = Db::open(":memory:").value();
    testing::FakeClock clock;
    *clock.now = kJstMidnight + 8 * kHour;  // 08:00 in Tokyo on 2026-11-24, still 23 Nov in UTC
    clock.install(db);
    User u;
    u.name = "田中";
    u.email = "tanaka@example.jp";
    const Id rep = db.users().create(u).value();

    db.tasks().create(task("昨日の夜", kJstMidnight - kHour)).value();           // 23:00 JST yesterday
    db.tasks().create(task("今朝", kJstMidnight + 1)).value();                   // 00:00:00.001 JST today
    Task mine = task("午後の会議", kJstMidnight + 14 * kHour);
    mine.assignee_id = rep;
    db.tasks().create(mine).value();
    db.tasks().create(task("深夜", kJstMidnight + 24 * kHour - 1)).value();      // 23:59:59.999 JST
    db.tasks().create(task("明日", kJstMidnight + 24 * kHour)).value();          // 00:00 tomorrow JST
    Task finished = task("完了済み", kJstMidnight + 2 * kHour);
    finished.status = TaskStatus::done;
    db.tasks().create(finished).value();
    Task cancelled = task("中止", kJstMidnight - 2 * kHour);
    cancelled.status = TaskStatus::cancelled;
    db.tasks().create(cancelled).value();
    db.tasks().create(task("期限なし")).value();

    DueQuery q;
    q.now = *clock.now;
    q.utc_offset_minutes = parse_utc_offset("+09:00").value();
    CHECK(titles(db.tasks().due(q).value().items) == std::vector<std::string>{"今朝", "午後の会議", "深夜"});

    // The same instant in UTC is still 23 November: "today" there holds yesterday's evening task.
    q.utc_offset_minutes = 0;
    CHECK(titles(db.tasks().due(q).value().items) == std::vector<std::string>{"昨日の夜", "今朝"});

    q.window = DueWindow::overdue;
    CHECK(titles(db.tasks().due(q).value().items) == std::vector<std::string>{"昨日の夜", "今朝"});
    q.now = kJstMidnight + 24 * kHour;
    CHECK(titles(db.tasks().due(q).value().items) == std::vector<std::string>{"昨日の夜", "今朝", "午後の会議", "深夜"});

    q.assignee_id = rep;
    CHECK(titles(db.tasks().due(q).value().items) == std::vector<std::string>{"午後の会議"});

    q.assignee_id.reset();
    q.limit = 3;
    auto p1 = db.tasks().due(q).value();
    CHECK(titles(p1.items) == std::vector<std::string>{"昨日の夜", "今朝", "午後の会議"});
    REQUIRE_FALSE(p1.next.empty());
    q.after = p1.next;
    auto p2 = db.tasks().due(q).value();
    CHECK(titles(p2.items) == std::vector<std::string>{"深夜"});
    CHECK(p2.next.empty());
    q.after = "garbage";
    CHECK(db.tasks().due(q).error().field == "after");
}

TEST_CASE("tasks: reminders are claimed once, come back when rescheduled, dispatch is at most once", "[tasks][reminders]") {
    auto db = Db::open(":memory:").value();
    const Timestamp t0 = kJstMidnight;
    Task a = task("リマインダーA");
    a.remind_at = t0;
    Task b = task("リマインダーB");
    b.remind_at = t0 + 1000;
    Task later = task("あとで");
    later.remind_at = t0 + kHour;
    Task closed = task("完了");
    closed.remind_at = t0;
    closed.status = TaskStatus::done;
    const Id ida = db.tasks().create(a).value();
    const Id idb = db.tasks().create(b).value();
    db.tasks().create(later).value();
    db.tasks().create(closed).value();

    CHECK(db.tasks().claim_due_reminders(t0 - 1).value().empty());
    auto first = db.tasks().claim_due_reminders(t0 + 1000, 1, "host-1").value();
    REQUIRE(first.size() == 1);
    CHECK(first[0].task_id == ida);
    CHECK(first[0].title == "リマインダーA");
    CHECK(first[0].claimed_by == "host-1");
    auto second = db.tasks().claim_due_reminders(t0 + 1000, 10).value();
    REQUIRE(second.size() == 1);
    CHECK(second[0].task_id == idb);
    CHECK(db.tasks().claim_due_reminders(t0 + 1000, 10).value().empty());
    CHECK(db.tasks().reminder_delivered_at(ida).value() == t0 + 1000);

    // Rescheduling makes it due again at the new time; other edits do not.
    REQUIRE(db.tasks().patch(ida, R"({"notes":"メモ"})"));
    CHECK(db.tasks().claim_due_reminders(t0 + 2000).value().empty());
    REQUIRE(db.tasks().patch(ida, R"({"remind_at":")" + format_iso8601(t0 + 5000) + R"("})"));
    CHECK(db.tasks().claim_due_reminders(t0 + 4999).value().empty());
    CHECK(db.tasks().claim_due_reminders(t0 + 5000).value().size() == 1);

    // dispatch: the claim is committed before notify; a failed notify stays claimed.
    std::vector<Id> seen;
    auto r = db.tasks()
                 .dispatch_reminders(t0 + kHour, [&](const Reminder& rem) -> bool {
                     seen.push_back(rem.task_id);
                     throw std::runtime_error("通知サーバー停止");
                 })
                 .value();
    CHECK(seen.size() == 1);
    CHECK(r.failed == seen);
    CHECK(db.tasks().dispatch_reminders(t0 + kHour, [](const Reminder&) { return true; }).value().delivered.empty());
    REQUIRE(db.tasks().release_reminder(seen[0]));
    auto again = db.tasks().dispatch_reminders(t0 + kHour, [](const Reminder&) { return true; }).value();
    CHECK(again.delivered == seen);
    CHECK(db.tasks().release_reminder(9999).error().code == errc::not_found);
    CHECK(db.tasks().claim_due_reminders(t0, 0).error().field == "limit");
}

// Runs only when started by spawn_worker: claims reminders in small batches until
// none are left, writing each claimed task id to its own output file.
TEST_CASE("task reminder worker", "[.task-reminder-worker]") {
    const char* path = std::getenv("CRM_TASK_WORKER_PATH");
    const char* out = std::getenv("CRM_TASK_WORKER_OUT");
    const char* name = std::getenv("CRM_TASK_WORKER_NAME");
    if (!path || !out || !name) return;
    OpenOptions o;
    o.busy_timeout_ms = 30000;
    auto db = Db::open(path, o);
    if (!db) std::_Exit(10);
    std::ofstream f(out);
    int empty_rounds = 0;
    while (empty_rounds < 3) {
        auto r = db.value().tasks().claim_due_reminders(kJstMidnight + kHour, 7, name);
        if (!r) std::_Exit(r.error().code == errc::busy ? 50 : 11);
        if (r.value().empty()) { ++empty_rounds; continue; }
        for (const auto& rem : r.value()) f << rem.task_id << "\n";
        f.flush();
    }
    std::_Exit(0);
}

TEST_CASE("tasks: several processes claiming at once get every reminder exactly once in total",
          "[tasks][reminders][concurrency]") {
    testing::TempDir dir;
    const auto path = dir.file("reminders.crm");
    std::set<Id> expected;
    {
        auto db = Db::open(path).value();
        auto tx = db.begin().value();
        for (int i = 0; i < 300; ++i) {
            Task t = task("リマインダー " + std::to_string(i));
            t.remind_at = kJstMidnight + i;
            expected.insert(db.tasks().create(t).value());
        }
        REQUIRE(tx.commit());
    }
    constexpr int kWorkers = 4;
    std::vector<pid_t> pids;
    for (int i = 0; i < kWorkers; ++i) pids.push_back(spawn_worker(path, dir.file("out" + std::to_string(i)), i));
    for (auto pid : pids) {
        int status = 0;
        waitpid(pid, &status, 0);
        REQUIRE(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
    std::multiset<Id> claimed;
    int workers_with_claims = 0;
    for (int i = 0; i < kWorkers; ++i) {
        std::ifstream in(dir.file("out" + std::to_string(i)));
        Id id = 0;
        int n = 0;
        while (in >> id) { claimed.insert(id); ++n; }
        if (n > 0) ++workers_with_claims;
    }
    CHECK(claimed.size() == expected.size());  // no duplicates …
    CHECK(std::set<Id>(claimed.begin(), claimed.end()) == expected);  // … and none missing
    CHECK(workers_with_claims >= 1);
    auto db = Db::open(path).value();
    CHECK(db.tasks().claim_due_reminders(kJstMidnight + kHour, 1000).value().empty());
}
