// Tasks (MISSION B6): the record kind, due queries and reminder delivery.
#include <fmt/format.h>

#include <charconv>

#include "records/engine.hpp"
#include "util/text.hpp"
#include "records/links_json.hpp"
#include "records/links.hpp"

namespace crm {

const char* to_string(TaskStatus s) noexcept {
    switch (s) {
        case TaskStatus::open: return "open";
        case TaskStatus::in_progress: return "in_progress";
        case TaskStatus::done: return "done";
        case TaskStatus::cancelled: return "cancelled";
    }
    return "open";
}
const char* to_string(TaskPriority p) noexcept {
    switch (p) {
        case TaskPriority::low: return "low";
        case TaskPriority::normal: return "normal";
        case TaskPriority::high: return "high";
    }
    return "normal";
}
std::optional<TaskStatus> task_status_from_string(const std::string& s) noexcept {
    for (auto v : {TaskStatus::open, TaskStatus::in_progress, TaskStatus::done, TaskStatus::cancelled})
        if (s == to_string(v)) return v;
    return std::nullopt;
}
std::optional<TaskPriority> task_priority_from_string(const std::string& s) noexcept {
    for (auto v : {TaskPriority::low, TaskPriority::normal, TaskPriority::high})
        if (s == to_string(v)) return v;
    return std::nullopt;
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

namespace work {

result<void> validate_links(detail::DbImpl& db, std::vector<RecordLink>& links, std::initializer_list<Entity> allowed) {
    std::sort(links.begin(), links.end());
    links.erase(std::unique(links.begin(), links.end()), links.end());
    if (links.size() > 1000) return invalid("links", "at most 1000 links");
    for (std::size_t i = 0; i < links.size(); ++i) {
        const auto& l = links[i];
        const auto field = fmt::format("links[{}]", i);
        if (allowed.size() && std::find(allowed.begin(), allowed.end(), l.entity) == allowed.end()) {
            std::string names;
            for (auto a : allowed) names += (names.empty() ? "" : ", ") + std::string(entity_name(a));
            return invalid(field, fmt::format("cannot link to a {}: only {}", entity_name(l.entity), names));
        }
        if (!store::table_exists(db, store::table_name(l.entity)))
            return invalid(field, fmt::format("cannot link to a {}: this database has no {} table yet",
                                              entity_name(l.entity), store::table_name(l.entity)));
        if (!store::exists(db, l.entity, l.id))
            return invalid(field, fmt::format("no {} with id {}", entity_name(l.entity), l.id));
    }
    return ok();
}

namespace {
const char* kStatuses = "open, in_progress, done, cancelled";
const char* kPriorities = "low, normal, high";

json task_doc(const Task& v) {
    return {{"id", v.id}, {"external_id", text_or_null(v.external_id)}, {"title", v.title}, {"notes", v.notes},
            {"due_at", opt_ts(v.due_at)}, {"remind_at", opt_ts(v.remind_at)}, {"assignee_id", opt_id(v.assignee_id)},
            {"status", to_string(v.status)}, {"priority", to_string(v.priority)},
            {"completed_at", opt_ts(v.completed_at)}, {"links", links_doc(v.links)},
            {"tags", v.tags}, {"custom", custom_doc(v.custom)},
            {"created_at", ts(v.created_at)}, {"updated_at", ts(v.updated_at)}};
}

result<Task> task_parse(const json& j) noexcept {
    try {
        Task v;
        Reader r(j, "");
        CRM_TRYV(r.object());
        CRM_TRYV(r.record_meta(v.id, v.created_at, v.updated_at));
        CRM_TRYV(r.str("external_id", v.external_id));
        CRM_TRYV(r.str("title", v.title));
        CRM_TRYV(r.str("notes", v.notes));
        CRM_TRYV(read_opt_time(r, "due_at", v.due_at));
        CRM_TRYV(read_opt_time(r, "remind_at", v.remind_at));
        CRM_TRYV(r.opt_integer("assignee_id", v.assignee_id));
        CRM_TRYV(r.enumeration("status", v.status, task_status_from_string, kStatuses));
        CRM_TRYV(r.enumeration("priority", v.priority, task_priority_from_string, kPriorities));
        CRM_TRYV(read_opt_time(r, "completed_at", v.completed_at));
        CRM_TRYV(read_links(r, v.links));
        CRM_TRYV(r.tags(v.tags));
        CRM_TRYV(r.custom(v.custom));
        CRM_TRYV(r.done());
        return v;
    } catch (const std::exception& e) {
        return make_error(errc::invalid_argument, e.what());
    }
}

result<void> task_validate(detail::DbImpl& db, Task& v, const Task* old) {
    const auto max = db.options.max_text_bytes;
    v.title = text::trim(v.title);
    CRM_TRYV(text::check("title", v.title, max, true));
    CRM_TRYV(text::check("notes", v.notes, max, false));
    v.external_id = text::trim(v.external_id);
    CRM_TRYV(text::check("external_id", v.external_id, 256, false));
    if (v.assignee_id && !store::exists(db, Entity::user, *v.assignee_id))
        return invalid("assignee_id", fmt::format("no user with id {}", *v.assignee_id));
    CRM_TRYV(validate_links(db, v.links, {}));
    if (v.status == TaskStatus::done) {
        if (!v.completed_at) v.completed_at = (old && old->status == TaskStatus::done && old->completed_at)
                                                  ? old->completed_at : std::optional<Timestamp>(db.now());
    } else {
        v.completed_at.reset();
    }
    return ok();
}
}  // namespace
}  // namespace work

namespace domain {
template <>
struct Traits<Task> {
    static constexpr Entity kind = Entity::task;
    static Id insert(DbImpl& db, const Task& v) { return store::insert(db, v); }
    static void update(DbImpl& db, const Task& old, const Task& v) { store::update(db, old, v); }
    static bool load(DbImpl& db, Id id, Task& out) { return store::load(db, id, out); }
    static result<void> validate(DbImpl& db, Task& v, const Task* old) { return work::task_validate(db, v, old); }
    static result<void> before_remove(DbImpl&, const Task&) { return ok(); }
    static json::json doc(const Task& v) { return work::task_doc(v); }
    static result<Task> parse(const json::json& j) { return work::task_parse(j); }
};
}  // namespace domain

template class Records<Task>;

Tasks Db::tasks() noexcept { return Tasks(impl()); }

// ---- queries -------------------------------------------------------------------

std::string to_json(const Task& v) { return work::task_doc(v).dump(); }

std::string to_json(const Reminder& r) {
    return nlohmann::json{{"task_id", r.task_id}, {"title", r.title}, {"remind_at", format_iso8601(r.remind_at)},
                          {"due_at", work::opt_ts(r.due_at)}, {"assignee_id", work::opt_id(r.assignee_id)},
                          {"priority", to_string(r.priority)}, {"links", work::links_doc(r.links)},
                          {"claimed_at", format_iso8601(r.claimed_at)}, {"claimed_by", r.claimed_by}}
        .dump();
}

template <>
result<Task> from_json<Task>(std::string_view text) noexcept {
    auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded()) return invalid("document", "is not valid JSON");
    return work::task_parse(j);
}

result<Page<Task>> Tasks::due(const DueQuery& q) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
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
            CRM_TRY(Task t, domain::load_full<Task>(*db_, id));
            page.items.push_back(std::move(t));
        }
        if (more && !page.items.empty())
            page.next = fmt::format("{}:{}", *page.items.back().due_at, page.items.back().id);
        return page;
    });
}

result<std::vector<Task>> Tasks::for_record(Entity entity, Id id) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<std::vector<Task>> {
        std::vector<Task> out;
        for (Id t : store::linked_ids(*db_, "task_links", entity, id)) {
            CRM_TRY(Task v, domain::load_full<Task>(*db_, t));
            out.push_back(std::move(v));
        }
        return out;
    });
}

// ---- reminders -----------------------------------------------------------------

result<std::vector<Reminder>> Tasks::claim_due_reminders(Timestamp now, std::size_t limit,
                                                         const std::string& claimer) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    if (limit < 1 || limit > 10000) return invalid("limit", "must be 1 … 10000");
    CRM_TRYV(text::check("claimer", claimer, 256, false));
    return db_->write([&]() -> result<std::vector<Reminder>> { return store::claim_reminders(*db_, now, limit, claimer); });
}

result<DispatchResult> Tasks::dispatch_reminders(Timestamp now, const std::function<bool(const Reminder&)>& notify,
                                                 std::size_t limit, const std::string& claimer) noexcept {
    if (!notify) return invalid("notify", "must be a callable");
    if (db_ && (db_->in_user_transaction || db_->savepoint_depth > 0))
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
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->write([&]() -> result<void> {
        if (!store::release_reminder(*db_, task_id))
            return make_error(errc::not_found, fmt::format("no task with id {}", task_id));
        return ok();
    });
}

result<std::optional<Timestamp>> Tasks::reminder_delivered_at(Id task_id) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<std::optional<Timestamp>> {
        auto v = store::reminder_claimed_at(*db_, task_id);
        if (!v) return make_error(errc::not_found, fmt::format("no task with id {}", task_id));
        return *v;
    });
}

}  // namespace crm
