// Tasks: actions assigned to a user with a due time and a reminder, linked to any
// record. The descriptor, the rules, due queries and reminder delivery.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>

#include "records/kind_entry.hpp"
#include "store/tasks_store.hpp"
#include "util/text.hpp"

namespace crm {

namespace records {
namespace {
constexpr const char* kStatuses[] = {"open", "in_progress", "done", "cancelled"};
constexpr const char* kPriorities[] = {"low", "normal", "high"};
}  // namespace
}  // namespace records

const char* to_string(TaskStatus s) noexcept { return records::enum_name(records::kStatuses, s); }
const char* to_string(TaskPriority p) noexcept { return records::enum_name(records::kPriorities, p); }
std::optional<TaskStatus> task_status_from_string(const std::string& s) noexcept {
    return records::enum_from_name<TaskStatus>(records::kStatuses, s);
}
std::optional<TaskPriority> task_priority_from_string(const std::string& s) noexcept {
    return records::enum_from_name<TaskPriority>(records::kPriorities, s);
}

result<int> parse_utc_offset(const std::string& t) noexcept {
    if (t == "Z" || t == "z" || t == "UTC") return 0;
    auto bad = [&] { return invalid("tz", fmt::format("'{}' is not a UTC offset like +09:00", t)); };
    if (t.size() < 3 || (t[0] != '+' && t[0] != '-')) return bad();
    std::string digits;
    for (std::size_t i = 1; i < t.size(); ++i) {
        if (t[i] == ':' && i == 3) continue;
        if (t[i] < '0' || t[i] > '9') return bad();
        digits.push_back(t[i]);
    }
    if (digits.size() != 2 && digits.size() != 4) return bad();
    int h = (digits[0] - '0') * 10 + (digits[1] - '0');
    int m = digits.size() == 4 ? (digits[2] - '0') * 10 + (digits[3] - '0') : 0;
    if (h > 14 || m > 59) return bad();
    int total = h * 60 + m;
    return t[0] == '-' ? -total : total;
}

namespace records {
namespace {
using namespace caps;

// Where the links are stored (a merge of duplicates finds the tasks linked to a record).
constexpr ChildColumn kTaskLinkRows{"task_links", "task_id", "record_id", "entity"};

constexpr FieldDef<Task> kTaskFields[] = {
    build::text<&Task::title>("title", "title", F | S | Q | I | L | R, "title (required for add)"),
    build::text<&Task::notes>("notes", "notes", F | Q | I, "notes").with(long_text),
    build::opt_time<&Task::due_at>("due_at", "due_at", F | S | I | L, "ISO-8601 due time (empty clears)").named("due"),
    build::opt_time<&Task::remind_at>("remind_at", "remind_at", F | S | I | L, "ISO-8601 reminder time (empty clears)")
        .named("remind"),
    build::reference<&Task::assignee_id>("assignee_id", "assignee_id", Entity::user, F | S | G | I | L,
                                         "user id (empty clears)")
        .named("assignee"),
    build::enumeration<&Task::status>("status", "status", kStatuses, F | S | G | I | L,
                                      "open|in_progress|done|cancelled"),
    build::enumeration<&Task::priority>("priority", "priority", kPriorities, F | S | G | I | L, "low|normal|high"),
    build::opt_time<&Task::completed_at>("completed_at", "completed_at", F | S | C, "when it was done"),
    build::links<&Task::links>("links", I, "ENTITY:ID, e.g. contact:3 (repeatable; replaces the links)")
        .named("link")
        .child_of(&kTaskLinkRows),
};

constexpr RefDef<Task> kTaskRefs[] = {
    build::block<Task>("assignee_id", "assignee_id", Entity::user, "tasks"),
};

result<void> validate_task(Write& w, Task& v, const Task* old) {
    CRM_TRYV(check_text(w, "title", v.title, true));
    CRM_TRYV(check_text(w, "notes", v.notes));
    CRM_TRYV(check_links(w, v.links, {}));
    if (v.status == TaskStatus::done) {
        if (!v.completed_at)
            v.completed_at = (old && old->status == TaskStatus::done && old->completed_at)
                                 ? old->completed_at
                                 : std::optional<Timestamp>(w.db.now());
    } else {
        v.completed_at.reset();
    }
    return ok();
}

const KindDef<Task> kTask{Entity::task, "task", "tasks", "tasks", 11, kTaskFields, kTaskRefs, &validate_task,
                          nullptr, &store::save_task_children, &store::load_task_children};
}  // namespace

template <> const KindDef<Task>& kind_def<Task>() noexcept { return kTask; }
const KindEntry& task_kind() { return entry<Task>(); }

}  // namespace records

CRM_RECORD_KIND(Task);

Tasks Db::tasks() noexcept { return Tasks(impl_.get()); }

// ---- queries -------------------------------------------------------------------

std::string to_json(const Reminder& r) {
    std::string out;
    json::Writer w(out);
    w.begin_object();
    w.key("task_id"); w.integer(r.task_id);
    w.key("title"); w.string(r.title);
    w.key("remind_at"); records::write_time(w, r.remind_at);
    w.key("due_at"); records::write_time(w, r.due_at.value_or(0));
    w.key("assignee_id"); if (r.assignee_id) w.integer(*r.assignee_id); else w.null();
    w.key("priority"); w.string(to_string(r.priority));
    w.key("links");
    w.begin_array();
    for (const auto& l : r.links) {
        w.begin_object();
        w.key("entity"); w.string(entity_name(l.entity));
        w.key("id"); w.integer(l.id);
        w.end_object();
    }
    w.end_array();
    w.key("claimed_at"); records::write_time(w, r.claimed_at);
    w.key("claimed_by"); w.string(r.claimed_by);
    w.end_object();
    return out;
}

result<Page<Task>> Tasks::due(const DueQuery& q) noexcept {
    if (!db_) return records::closed();
    if (q.limit < 1 || q.limit > 10000) return invalid("limit", "must be 1 … 10000");
    if (q.utc_offset_minutes < -14 * 60 || q.utc_offset_minutes > 14 * 60)
        return invalid("utc_offset_minutes", "must be within -14:00 … +14:00");
    store::DueBounds b;
    b.assignee_id = q.assignee_id;
    b.limit = q.limit;
    constexpr Timestamp day = 86'400'000;
    switch (q.window) {
        case DueWindow::today: {
            const Timestamp off = Timestamp{q.utc_offset_minutes} * 60'000;
            const Timestamp local = q.now + off;
            const Timestamp start = (local >= 0 ? local / day : (local - day + 1) / day) * day - off;
            b.from = start;
            b.to = start + day;
            break;
        }
        case DueWindow::overdue: b.to = q.now; break;
        case DueWindow::range:
            b.from = q.from;
            b.to = q.to;
            break;
    }
    if (!q.after.empty()) {
        // cursor "<due_at>:<id>"
        auto colon = q.after.find(':');
        std::int64_t due = 0, id = 0;
        bool good = colon != std::string::npos;
        if (good) {
            auto r1 = std::from_chars(q.after.data(), q.after.data() + colon, due);
            auto r2 = std::from_chars(q.after.data() + colon + 1, q.after.data() + q.after.size(), id);
            good = r1.ec == std::errc() && r1.ptr == q.after.data() + colon && r2.ec == std::errc() &&
                   r2.ptr == q.after.data() + q.after.size();
        }
        if (!good) return invalid("after", "is not a cursor returned by a previous page");
        b.after_due = due;
        b.after_id = id;
    }
    return db_->read([&]() -> result<Page<Task>> {
        auto ids = store::due_task_ids(*db_, b);
        Page<Task> page;
        const bool more = ids.size() > q.limit;
        if (more) ids.resize(q.limit);
        for (Id id : ids) {
            CRM_TRY(Task t, records::load_full<Task>(*db_, id));
            page.items.push_back(std::move(t));
        }
        if (more && !page.items.empty())
            page.next = fmt::format("{}:{}", *page.items.back().due_at, page.items.back().id);
        return page;
    });
}

result<std::vector<Task>> Tasks::for_record(Entity entity, Id id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<Task>> {
        std::vector<Task> out;
        for (Id t : store::linked_ids(*db_, "task_links", entity, id)) {
            CRM_TRY(Task v, records::load_full<Task>(*db_, t));
            out.push_back(std::move(v));
        }
        return out;
    });
}

// ---- reminders -----------------------------------------------------------------

result<std::vector<Reminder>> Tasks::claim_due_reminders(Timestamp now, std::size_t limit,
                                                         const std::string& claimer) noexcept {
    if (!db_) return records::closed();
    if (limit < 1 || limit > 10000) return invalid("limit", "must be 1 … 10000");
    CRM_TRYV(text::check("claimer", claimer, 256, false));
    return db_->write([&]() -> result<std::vector<Reminder>> { return store::claim_reminders(*db_, now, limit, claimer); });
}

result<DispatchResult> Tasks::dispatch_reminders(Timestamp now, const std::function<bool(const Reminder&)>& notify,
                                                 std::size_t limit, const std::string& claimer) noexcept {
    if (!notify) return invalid("notify", "must be a callable");
    if (db_ && store::WriteScope::any_open(*db_))
        return invalid("transaction", "dispatch_reminders must not run inside a transaction: "
                                      "the claim has to be committed before anyone is notified");
    CRM_TRY(auto claimed, claim_due_reminders(now, limit, claimer));
    DispatchResult out;
    for (const auto& r : claimed) {
        bool delivered = false;
        try {
            delivered = notify(r);
        } catch (...) {
            delivered = false;
        }
        (delivered ? out.delivered : out.failed).push_back(r.task_id);
    }
    return out;
}

result<void> Tasks::release_reminder(Id task_id) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<void> {
        if (!store::release_reminder(*db_, task_id))
            return make_error(errc::not_found, fmt::format("no task with id {}", task_id));
        return ok();
    });
}

result<std::optional<Timestamp>> Tasks::reminder_delivered_at(Id task_id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::optional<Timestamp>> {
        auto v = store::reminder_claimed_at(*db_, task_id);
        if (!v) return make_error(errc::not_found, fmt::format("no task with id {}", task_id));
        return *v;
    });
}

}  // namespace crm
