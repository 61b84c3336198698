// crm/tasks.hpp — tasks and reminders.
//
//   crm::Task t; t.title = "見積書を送る"; t.due_at = ...; t.remind_at = ...; t.assignee_id = rep;
//   t.links = {{crm::Entity::contact, yamada}};
//   crm::Id id = db.tasks().create(t).value();
//   // a poller, in any number of processes at once:
//   for (auto& r : db.tasks().claim_due_reminders(crm::now_ms(), 100, "host-1").value()) notify(r);
//
// docs/tasks.md describes the semantics (time zones, reminder delivery, links).
#pragma once

#include <functional>

#include "crm/db.hpp"
#include "crm/json.hpp"

namespace crm {

enum class TaskStatus { open, in_progress, done, cancelled };
enum class TaskPriority { low, normal, high };
const char* to_string(TaskStatus s) noexcept;
const char* to_string(TaskPriority p) noexcept;
std::optional<TaskStatus> task_status_from_string(const std::string& s) noexcept;
std::optional<TaskPriority> task_priority_from_string(const std::string& s) noexcept;


struct Task {
    Id id = 0;
    std::string external_id;
    std::string title;                  // required: 見積書を送る
    std::string notes;
    std::optional<Timestamp> due_at;    // UTC ms
    std::optional<Timestamp> remind_at; // UTC ms; handed out once by claim_due_reminders
    std::optional<Id> assignee_id;      // a user
    TaskStatus status = TaskStatus::open;
    TaskPriority priority = TaskPriority::normal;
    // Set by the library when status becomes done (kept if given), cleared when it leaves done.
    std::optional<Timestamp> completed_at;
    std::vector<RecordLink> links;      // any record whose table exists; sorted, no duplicates
    Tags tags;
    CustomFields custom;
    Timestamp created_at = 0, updated_at = 0;
};

// A reminder that came due, as handed to the host.
struct Reminder {
    Id task_id = 0;
    std::string title;
    Timestamp remind_at = 0;
    std::optional<Timestamp> due_at;
    std::optional<Id> assignee_id;
    TaskPriority priority = TaskPriority::normal;
    std::vector<RecordLink> links;
    Timestamp claimed_at = 0;
    std::string claimed_by;
};

// Which tasks a due query returns. Only open and in_progress tasks are "due".
enum class DueWindow {
    today,    // due within the local calendar day containing `now` (in utc_offset_minutes)
    overdue,  // due before `now`
    range,    // due in [from, to)
};

struct DueQuery {
    DueWindow window = DueWindow::today;
    Timestamp now = 0;                 // required for today/overdue
    int utc_offset_minutes = 0;        // the user's zone: +540 for Japan (+09:00)
    std::optional<Timestamp> from, to; // for DueWindow::range
    std::optional<Id> assignee_id;     // only this user's tasks
    std::size_t limit = 100;           // 1 … 10000
    std::string after;                 // cursor from the previous Page::next
};

// "+09:00", "-05:30", "Z", "+0900" → minutes east of UTC.
result<int> parse_utc_offset(const std::string& text) noexcept;

struct DispatchResult {
    std::vector<Id> delivered;  // notify returned true
    std::vector<Id> failed;     // notify returned false or threw: still claimed (at most once)
};

class Tasks : public Records<Task> {
public:
    using Records::Records;

    // Due / overdue / range queries, ordered by (due_at, id), keyset paged.
    result<Page<Task>> due(const DueQuery& query) noexcept;
    // Tasks linked to that record, by id.
    result<std::vector<Task>> for_record(Entity entity, Id id) noexcept;

    // Atomically marks up to `limit` reminders with remind_at <= now (of open and
    // in_progress tasks, not yet delivered) as delivered by `claimer`, and returns
    // them ordered by (remind_at, task id). The claim commits before this returns:
    // no other call, in this or any other process, returns the same reminder again
    // until its remind_at is changed (then it is due again at the new time) or it
    // is released with release_reminder().
    result<std::vector<Reminder>> claim_due_reminders(Timestamp now, std::size_t limit = 100,
                                                      const std::string& claimer = {}) noexcept;
    // Claims (committed first) and then calls notify for each reminder: at most once.
    // A notify that returns false or throws leaves the reminder claimed; its task id
    // is reported in DispatchResult::failed (call release_reminder to retry it).
    result<DispatchResult> dispatch_reminders(Timestamp now, const std::function<bool(const Reminder&)>& notify,
                                              std::size_t limit = 100, const std::string& claimer = {}) noexcept;
    // Makes a delivered reminder due again. errc::not_found if there is no such task.
    result<void> release_reminder(Id task_id) noexcept;
    // When the reminder of that task was delivered (nullopt: not yet).
    result<std::optional<Timestamp>> reminder_delivered_at(Id task_id) noexcept;
};

extern template class Records<Task>;

// JSON documents (docs/tasks.md): times as ISO-8601, links as [{"entity":"contact","id":1}].
std::string to_json(const Reminder& v);

}  // namespace crm
