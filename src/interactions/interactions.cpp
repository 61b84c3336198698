// Interactions (MISSION B1): validation, JSON documents, the generic record
// operations, the timeline and email tracking. Bulk ingest is in ingest.cpp.
#include "interactions/interactions_internal.hpp"

#include <algorithm>

#include "json/reader.hpp"

#include "util/text.hpp"

namespace crm {

namespace {
const char* const kBuiltinKinds[] = {"email", "sms", "call", "meeting", "note", "line", "web_visit",
                                     "form_submission", "event_attendance", "document_download"};
}  // namespace

bool is_builtin_interaction_kind(const std::string& kind) noexcept {
    return std::any_of(std::begin(kBuiltinKinds), std::end(kBuiltinKinds), [&](const char* k) { return kind == k; });
}

const char* to_string(Direction d) noexcept {
    switch (d) {
        case Direction::inbound: return "inbound";
        case Direction::outbound: return "outbound";
        case Direction::internal: return "internal";
    }
    return "internal";
}

std::optional<Direction> direction_from_string(const std::string& s) noexcept {
    if (s == "inbound") return Direction::inbound;
    if (s == "outbound") return Direction::outbound;
    if (s == "internal") return Direction::internal;
    return std::nullopt;
}

const char* to_string(EmailEventType t) noexcept {
    switch (t) {
        case EmailEventType::sent: return "sent";
        case EmailEventType::delivered: return "delivered";
        case EmailEventType::opened: return "opened";
        case EmailEventType::clicked: return "clicked";
        case EmailEventType::bounced: return "bounced";
        case EmailEventType::unsubscribed: return "unsubscribed";
    }
    return "sent";
}

std::optional<EmailEventType> email_event_from_string(const std::string& s) noexcept {
    for (auto t : {EmailEventType::sent, EmailEventType::delivered, EmailEventType::opened, EmailEventType::clicked,
                   EmailEventType::bounced, EmailEventType::unsubscribed})
        if (s == to_string(t)) return t;
    return std::nullopt;
}

const char* to_string(IngestStatus s) noexcept {
    switch (s) {
        case IngestStatus::ok: return "ok";
        case IngestStatus::duplicate: return "duplicate";
        case IngestStatus::error: return "error";
    }
    return "error";
}

namespace domain {

result<void> check_kind(const std::string& field, const std::string& kind) {
    if (kind.empty()) return invalid(field, "is required (email, call, meeting, note, sms, line, web_visit, …)");
    if (kind.size() > 64) return invalid(field, "is longer than 64 bytes");
    if (kind[0] < 'a' || kind[0] > 'z')
        return invalid(field, "'" + kind + "' must match [a-z][a-z0-9_]* (built-in: email, call, meeting, note, …)");
    for (char c : kind)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return invalid(field, "'" + kind + "' must match [a-z][a-z0-9_]* (built-in: email, call, meeting, note, …)");
    return ok();
}

bool LinkChecker::exists(Entity e, Id id) {
    auto& seen = known[static_cast<int>(e)];
    if (seen.count(id)) return true;
    if (!store::exists(db, e, id)) return false;
    seen.insert(id);
    return true;
}

namespace {
result<void> check_links(LinkChecker& lc, std::vector<Id>& ids, Entity e, const char* field) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (ids.empty()) return ok();
    for (std::size_t i = 0; i < ids.size(); ++i)
        if (!lc.exists(e, ids[i]))
            return make_error(errc::not_found, fmt::format("{}: no {} with id {}", field, entity_name(e), ids[i]), field);
    return ok();
}
}  // namespace

result<void> validate_interaction(LinkChecker& lc, Interaction& v) {
    const auto max = lc.db.options.max_text_bytes;
    CRM_TRYV(check_kind("kind", v.kind));
    if (v.occurred_at == 0) v.occurred_at = lc.db.now();
    CRM_TRYV(text::check("external_id", v.external_id, 256, false));
    CRM_TRYV(text::check("channel", v.channel, 256, false));
    CRM_TRYV(text::check("subject", v.subject, max, false));
    CRM_TRYV(text::check("body", v.body, max, false));
    CRM_TRYV(text::check("url", v.url, max, false));
    CRM_TRYV(text::check("referrer", v.referrer, max, false));
    CRM_TRYV(text::check("source", v.source, 256, false));
    v.external_id = text::trim(v.external_id);
    if (v.actor_id && !lc.exists(Entity::user, *v.actor_id))
        return make_error(errc::not_found, fmt::format("actor_id: no user with id {}", *v.actor_id), "actor_id");
    CRM_TRYV(check_links(lc, v.contact_ids, Entity::contact, "contact_ids"));
    CRM_TRYV(check_links(lc, v.account_ids, Entity::account, "account_ids"));
    CRM_TRYV(check_links(lc, v.deal_ids, Entity::deal, "deal_ids"));
    CRM_TRYV(check_links(lc, v.ticket_ids, Entity::ticket, "ticket_ids"));
    return ok();
}

json::json interaction_doc(const Interaction& v) {
    json::json custom = json::json::object();
    for (const auto& [k, x] : v.custom) custom[k] = json::doc(x);
    auto ts = [](Timestamp t) { return t ? json::json(format_iso8601(t)) : json::json(nullptr); };
    return {{"id", v.id},
            {"external_id", v.external_id.empty() ? json::json(nullptr) : json::json(v.external_id)},
            {"kind", v.kind},
            {"occurred_at", ts(v.occurred_at)},
            {"direction", to_string(v.direction)},
            {"channel", v.channel},
            {"subject", v.subject},
            {"body", v.body},
            {"actor_id", v.actor_id ? json::json(*v.actor_id) : json::json(nullptr)},
            {"url", v.url},
            {"referrer", v.referrer},
            {"source", v.source},
            {"contact_ids", v.contact_ids},
            {"account_ids", v.account_ids},
            {"deal_ids", v.deal_ids},
            {"ticket_ids", v.ticket_ids},
            {"tags", v.tags},
            {"custom", custom},
            {"created_at", ts(v.created_at)},
            {"updated_at", ts(v.updated_at)}};
}

result<void> get_time(const json::json& j, const char* key, Timestamp& out) {
    if (j.is_null()) { out = 0; return ok(); }
    if (j.is_number_integer()) { out = j.get<Timestamp>(); return ok(); }
    std::optional<Timestamp> t;
    if (j.is_string()) t = parse_iso8601(j.get<std::string>());
    if (!t) return invalid(key, "must be an ISO-8601 time or UTC milliseconds");
    out = *t;
    return ok();
}

namespace {
result<void> get_str(const json::json& j, const char* key, std::string& out) {
    if (j.is_null()) { out.clear(); return ok(); }
    if (!j.is_string()) return invalid(key, "must be a string");
    out = j.get<std::string>();
    return ok();
}
result<void> get_ids(const json::json& j, const char* key, std::vector<Id>& out) {
    out.clear();
    if (j.is_null()) return ok();
    if (j.is_number_integer()) { out.push_back(j.get<Id>()); return ok(); }
    if (!j.is_array()) return invalid(key, "must be an array of ids");
    for (const auto& x : j) {
        if (!x.is_number_integer()) return invalid(key, "must be an array of ids");
        out.push_back(x.get<Id>());
    }
    return ok();
}
}  // namespace

result<Interaction> parse_interaction(const json::json& j) noexcept {
    try {
        if (!j.is_object()) return invalid("document", "must be a JSON object");
        Interaction v;
        for (auto it = j.begin(); it != j.end(); ++it) {
            const std::string& k = it.key();
            const auto& x = it.value();
            if (k == "id") {
                if (!x.is_null() && !x.is_number_integer()) return invalid("id", "must be an integer");
                v.id = x.is_null() ? 0 : x.get<Id>();
            } else if (k == "external_id") CRM_TRYV(get_str(x, "external_id", v.external_id));
            else if (k == "kind") CRM_TRYV(get_str(x, "kind", v.kind));
            else if (k == "occurred_at") CRM_TRYV(get_time(x, "occurred_at", v.occurred_at));
            else if (k == "direction") {
                std::string d;
                CRM_TRYV(get_str(x, "direction", d));
                auto dir = direction_from_string(d.empty() ? "internal" : d);
                if (!dir) return invalid("direction", "'" + d + "' is not one of inbound, outbound, internal");
                v.direction = *dir;
            } else if (k == "channel") CRM_TRYV(get_str(x, "channel", v.channel));
            else if (k == "subject") CRM_TRYV(get_str(x, "subject", v.subject));
            else if (k == "body") CRM_TRYV(get_str(x, "body", v.body));
            else if (k == "url") CRM_TRYV(get_str(x, "url", v.url));
            else if (k == "referrer") CRM_TRYV(get_str(x, "referrer", v.referrer));
            else if (k == "source") CRM_TRYV(get_str(x, "source", v.source));
            else if (k == "actor_id") {
                if (x.is_null()) v.actor_id.reset();
                else if (x.is_number_integer()) v.actor_id = x.get<Id>();
                else return invalid("actor_id", "must be an integer or null");
            } else if (k == "contact_ids") CRM_TRYV(get_ids(x, "contact_ids", v.contact_ids));
            else if (k == "account_ids") CRM_TRYV(get_ids(x, "account_ids", v.account_ids));
            else if (k == "deal_ids") CRM_TRYV(get_ids(x, "deal_ids", v.deal_ids));
            else if (k == "ticket_ids") CRM_TRYV(get_ids(x, "ticket_ids", v.ticket_ids));
            else if (k == "tags") {
                CRM_TRYV(crm::json::read_tags(x, "tags", v.tags));
            } else if (k == "custom") {
                CRM_TRYV(crm::json::read_custom(x, "custom", v.custom));
            } else if (k == "created_at") CRM_TRYV(get_time(x, "created_at", v.created_at));
            else if (k == "updated_at") CRM_TRYV(get_time(x, "updated_at", v.updated_at));
            else if (k == "email_events") continue;  // tracking history rows (see track); not a field
            else return invalid(k, "is not a field of an interaction");
        }
        return v;
    } catch (const std::exception& e) {
        return make_error(errc::invalid_argument, e.what());
    }
}

result<void> InteractionTraits::validate(DbImpl& db, Interaction& v, const Interaction* old) {
    (void)old;
    LinkChecker lc{db};
    return validate_interaction(lc, v);
}

}  // namespace domain

template class Records<Interaction>;

Interactions Db::interactions() noexcept { return Interactions(impl()); }

namespace {
constexpr std::size_t kMaxTimelinePage = 1000;

result<std::optional<store::TimelineKey>> parse_cursor(const std::string& after) {
    if (after.empty()) return std::optional<store::TimelineKey>{};
    auto colon = after.find(':');
    try {
        if (colon == std::string::npos) throw std::invalid_argument("no colon");
        std::size_t n1 = 0, n2 = 0;
        store::TimelineKey k;
        k.at = std::stoll(after.substr(0, colon), &n1);
        k.id = std::stoll(after.substr(colon + 1), &n2);
        if (n1 != colon || n2 != after.size() - colon - 1) throw std::invalid_argument("junk");
        return std::optional<store::TimelineKey>{k};
    } catch (const std::exception&) {
        return invalid("after", "is not a cursor from a previous timeline page");
    }
}
}  // namespace

result<Page<Interaction>> Interactions::timeline(Entity entity, Id id, const TimelineQuery& q) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    if (entity != Entity::contact && entity != Entity::account && entity != Entity::deal && entity != Entity::ticket)
        return invalid("entity", fmt::format("{} has no timeline (contact, account, deal or ticket)", entity_name(entity)));
    if (q.limit < 1 || q.limit > kMaxTimelinePage) return invalid("limit", "must be between 1 and 1000");
    store::TimelineBounds b;
    b.since = q.since.value_or(INT64_MIN);
    b.until = q.until.value_or(INT64_MAX);
    b.limit = q.limit + 1;
    if (!q.kinds.empty()) {
        for (std::size_t i = 0; i < q.kinds.size(); ++i) CRM_TRYV(domain::check_kind(fmt::format("kinds[{}]", i), q.kinds[i]));
        b.kinds_json = json::json(q.kinds).dump();
    }
    CRM_TRY(b.after, parse_cursor(q.after));
    return db_->read([&]() -> result<Page<Interaction>> {
        if (!store::exists(*db_, entity, id))
            return make_error(errc::not_found, fmt::format("no {} with id {}", entity_name(entity), id));
        auto keys = store::timeline_ids(*db_, entity, id, b);
        Page<Interaction> page;
        if (keys.size() > q.limit) {
            keys.resize(q.limit);
            page.next = fmt::format("{}:{}", keys.back().at, keys.back().id);
        }
        // The page's rows, links, tags and custom values: one statement each, not per item.
        std::vector<Id> ids;
        ids.reserve(keys.size());
        for (const auto& k : keys) ids.push_back(k.id);
        page.items = store::load_many(*db_, ids);
        auto tags = store::load_tags_many(*db_, Entity::interaction, ids);
        auto custom = store::load_custom_many(*db_, Entity::interaction, ids, store::load_defs(*db_, Entity::interaction));
        for (auto& v : page.items) {
            if (auto t = tags.find(v.id); t != tags.end()) v.tags = std::move(t->second);
            if (auto c = custom.find(v.id); c != custom.end()) v.custom = std::move(c->second);
        }
        return page;
    });
}

result<Id> Interactions::track(Id interaction_id, const EmailEvent& event) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    EmailEvent ev = event;
    CRM_TRYV(text::check("url", ev.url, db_->options.max_text_bytes, false));
    if (!ev.url.empty() && ev.type != EmailEventType::clicked)
        return invalid("url", fmt::format("only a clicked event has a url, not {}", to_string(ev.type)));
    return db_->write([&]() -> result<Id> {
        auto kind = store::interaction_kind(*db_, interaction_id);
        if (!kind) return make_error(errc::not_found, fmt::format("no interaction with id {}", interaction_id));
        if (*kind != "email")
            return invalid("interaction_id", fmt::format("interaction {} is a {}, not an email: only emails are tracked",
                                                         interaction_id, *kind));
        const Timestamp now = db_->now();
        if (ev.at == 0) ev.at = now;
        Id id = store::insert_email_event(*db_, interaction_id, ev, now);
        Change c;
        c.entity = Entity::interaction;
        c.record_id = interaction_id;
        c.at = now;
        c.actor_id = db_->actor;
        c.op = ChangeOp::update;
        c.field = "email_events";
        c.old_value = "null";
        c.new_value = json::json::parse(to_json(ev)).dump();
        store::append_change(*db_, c);
        return id;
    });
}

result<std::vector<EmailEvent>> Interactions::email_events(Id interaction_id) noexcept {
    if (!db_) return make_error(errc::closed, "database handle is closed");
    return db_->read([&]() -> result<std::vector<EmailEvent>> {
        if (!store::interaction_kind(*db_, interaction_id))
            return make_error(errc::not_found, fmt::format("no interaction with id {}", interaction_id));
        return store::load_email_events(*db_, interaction_id);
    });
}

std::string to_json(const Interaction& v) { return domain::interaction_doc(v).dump(); }

std::string to_json(const EmailEvent& v) {
    json::json j = {{"id", v.id}, {"event", to_string(v.type)}, {"at", format_iso8601(v.at)},
                    {"url", v.url.empty() ? json::json(nullptr) : json::json(v.url)}};
    return j.dump();
}

result<Interaction> interaction_from_json(std::string_view text) noexcept {
    auto j = json::json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded()) return invalid("document", "is not valid JSON");
    return domain::parse_interaction(j);
}

template <>
result<Interaction> from_json<Interaction>(std::string_view text) noexcept {
    return interaction_from_json(text);
}

template <>
result<Interaction> merge_patch<Interaction>(const Interaction& record, std::string_view patch_text) noexcept {
    try {
        auto patch = json::json::parse(patch_text.begin(), patch_text.end(), nullptr, false);
        if (patch.is_discarded()) return invalid("patch", "is not valid JSON");
        if (!patch.is_object()) return invalid("patch", "must be a JSON object");
        auto d = domain::interaction_doc(record);
        d.merge_patch(patch);
        d["id"] = record.id;
        return domain::parse_interaction(d);
    } catch (const std::exception& e) {
        return invalid("patch", e.what());
    }
}

result<TimelineQuery> timeline_query_from_json(std::string_view text) noexcept {
    try {
        TimelineQuery q;
        if (text.empty()) return q;
        auto j = json::json::parse(text.begin(), text.end(), nullptr, false);
        if (j.is_discarded()) return invalid("query", "is not valid JSON");
        if (j.is_null()) return q;
        if (!j.is_object()) return invalid("query", "must be a JSON object");
        for (auto it = j.begin(); it != j.end(); ++it) {
            const auto& k = it.key();
            const auto& x = it.value();
            if (x.is_null()) continue;
            if (k == "kinds" || k == "kind") {
                if (x.is_string()) q.kinds.push_back(x.get<std::string>());
                else if (x.is_array()) {
                    for (const auto& s : x) {
                        if (!s.is_string()) return invalid(k, "must be a string or an array of strings");
                        q.kinds.push_back(s.get<std::string>());
                    }
                } else return invalid(k, "must be a string or an array of strings");
            } else if (k == "since" || k == "until") {
                Timestamp t = 0;
                CRM_TRYV(domain::get_time(x, k.c_str(), t));
                (k == "since" ? q.since : q.until) = t;
            } else if (k == "limit") {
                if (!x.is_number_unsigned()) return invalid("limit", "must be a positive integer");
                q.limit = x.get<std::size_t>();
            } else if (k == "after") {
                if (!x.is_string()) return invalid("after", "must be a cursor string");
                q.after = x.get<std::string>();
            } else return invalid(k, "is not a timeline option (kinds, since, until, limit, after)");
        }
        return q;
    } catch (const std::exception& e) {
        return invalid("query", e.what());
    }
}

}  // namespace crm
