// crm/segments.hpp — saved segments: contacts chosen by their attributes and their
// behaviour, in a small filter language (MISSION C5). docs/segments.md has the
// grammar, the semantics and the limits.
//
//   auto seg = db.segments();
//   crm::Segment s;
//   s.name = "秋セミナー参加・開封2回以上";
//   s.definition = "came_from('秋の DX セミナー') and count(email opened, last 30d) >= 2";
//   crm::Id id = seg.define(s).value();          // refused (nothing saved) if the definition is bad
//   std::int64_t n = seg.count(id).value();
//   auto page = seg.contacts(id, {.limit = 100}).value();   // page.items: contacts, page.next: cursor
//   auto then = seg.count_expr("lifecycle_stage = 'mql'", {.as_of = t}).value();  // membership at t
//
// A definition is parsed, checked against the fields the library knows
// (crm/entities.hpp) and the custom fields defined, and compiled to one SQL
// query whose every value is a bound parameter.
#pragma once

#include "crm/contacts.hpp"
#include "crm/db.hpp"

namespace crm {

// A saved segment: a record kind (Entity::segment), so it has history, as-of,
// tags and custom values like every record.
struct Segment {
    Id id = 0;
    std::string external_id;
    std::string name;         // required, unique: 秋セミナー参加・開封2回以上
    std::string definition;   // required: the expression (docs/segments.md); checked on every write
    std::string description;
    Tags tags;
    CustomFields custom;
    Timestamp created_at = 0, updated_at = 0;
};

// One problem found in an expression: where (1-based line and column, counted in
// characters; the byte offset), and what was expected.
struct SegmentIssue {
    std::size_t offset = 0;
    std::size_t line = 1, column = 1;
    std::string message;  // "expected a value after '=', found ')'"
    friend bool operator==(const SegmentIssue&, const SegmentIssue&) = default;
};

// How a segment is evaluated.
struct SegmentEval {
    // 0: now (the database's clock). Otherwise membership as it was at this time:
    // attributes as the contacts had them then, interactions up to then, windows
    // ending then (docs/segments.md, "As of a past time").
    Timestamp as_of = 0;
};

class Segments : public Records<Segment> {
public:
    using Records::Records;

    // The problems of an expression; empty if it is valid. errc only for a closed Db.
    result<std::vector<SegmentIssue>> validate(std::string_view expr) noexcept;

    // define = create; update/get/remove/list are the generic ones (Records<Segment>);
    // by name as well as by id:
    result<Id> define(const Segment& s) noexcept;
    result<Segment> get_by_name(const std::string& name) noexcept;
    result<void> remove_by_name(const std::string& name) noexcept;

    // How many contacts are in a saved segment / match an expression.
    result<std::int64_t> count(Id segment_id, const SegmentEval& e = {}) noexcept;
    result<std::int64_t> count_expr(std::string_view expr, const SegmentEval& e = {}) noexcept;

    // A page of the members, by id ascending. options.limit (1 … 10000) and
    // options.after (the previous page's next) are used; where/order_by must be empty.
    result<Page<Contact>> contacts(Id segment_id, const ListOptions& options = {}, const SegmentEval& e = {}) noexcept;
    result<Page<Contact>> contacts_expr(std::string_view expr, const ListOptions& options = {},
                                        const SegmentEval& e = {}) noexcept;
    // The same, ids only.
    result<Page<Id>> contact_ids(Id segment_id, const ListOptions& options = {}, const SegmentEval& e = {}) noexcept;
    result<Page<Id>> contact_ids_expr(std::string_view expr, const ListOptions& options = {},
                                      const SegmentEval& e = {}) noexcept;
};

}  // namespace crm
