// Interactions: the activity timeline's records — calls, emails, meetings, web
// visits … linked to contacts, accounts, deals and tickets. The descriptor, the
// rules, the timeline and email tracking. Bulk ingest is in ingest.cpp.
#include "interactions/interactions_internal.hpp"

#include <algorithm>

#include "json/parse.hpp"
#include "records/kind_entry.hpp"
#include "customers/customers.hpp"
#include "store/interactions_store.hpp"
#include "scoring/scoring_internal.hpp"
#include "tickets/tickets_internal.hpp"
#include "util/text.hpp"

namespace crm {

namespace {
const char* const kBuiltinKinds[] = {"email", "sms", "call", "meeting", "note", "line", "web_visit",
                                     "form_submission", "event_attendance", "document_download"};
}  // namespace

bool is_builtin_interaction_kind(const std::string& kind) noexcept {
    return std::any_of(std::begin(kBuiltinKinds), std::end(kBuiltinKinds), [&](const char* k) { return kind == k; });
}

namespace interactions {
namespace {
std::vector<CreatedHook>& created_hooks() {
    static std::vector<CreatedHook> hooks;
    return hooks;
}
}  // namespace

void add_created_hook(CreatedHook hook) {
    auto& hooks = created_hooks();
    if (std::find(hooks.begin(), hooks.end(), hook) == hooks.end()) hooks.push_back(hook);
}

result<void> run_created_hooks(records::Write& w, const Interaction& created) {
    for (auto hook : created_hooks()) CRM_TRYV(hook(w, created));
    return ok();
}
}  // namespace interactions

namespace records {
namespace {
constexpr const char* kDirections[] = {"inbound", "outbound", "internal"};
constexpr const char* kEmailEvents[] = {"sent", "delivered", "opened", "clicked", "bounced", "unsubscribed"};
constexpr const char* kIngestStatuses[] = {"ok", "duplicate", "error"};
}  // namespace
}  // namespace records

const char* to_string(Direction d) noexcept { return records::enum_name(records::kDirections, d); }
std::optional<Direction> direction_from_string(const std::string& s) noexcept {
    return records::enum_from_name<Direction>(records::kDirections, s);
}
const char* to_string(EmailEventType t) noexcept { return records::enum_name(records::kEmailEvents, t); }
std::optional<EmailEventType> email_event_from_string(const std::string& s) noexcept {
    return records::enum_from_name<EmailEventType>(records::kEmailEvents, s);
}
const char* to_string(IngestStatus s) noexcept { return records::enum_name(records::kIngestStatuses, s); }

namespace interactions {

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

result<void> validate(LinkChecker& lc, Interaction& v) {
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

}  // namespace interactions

namespace records {
namespace {
using namespace caps;

template <auto M>
constexpr FieldDef<Interaction> links(std::string_view key, const ChildColumn* child, Entity target,
                                      std::string_view help, std::string_view name) {
    return build::ids<M>(key, target, F | I, help).named(name).child_of(child);
}
constexpr ChildColumn kContactLinks{"interaction_links", "interaction_id", "record_id", "entity", "contact"};
constexpr ChildColumn kAccountLinks{"interaction_links", "interaction_id", "record_id", "entity", "account"};
constexpr ChildColumn kDealLinks{"interaction_links", "interaction_id", "record_id", "entity", "deal"};
constexpr ChildColumn kTicketLinks{"interaction_links", "interaction_id", "record_id", "entity", "ticket"};
constexpr const char* kIgnored[] = {"email_events"};  // tracking rows (Interactions::track), not a field

constexpr FieldDef<Interaction> kInteractionFields[] = {
    build::text<&Interaction::kind>("kind", "kind", F | S | G | I | L | R,
                                    "email, call, meeting, note, sms, line, web_visit, … or [a-z][a-z0-9_]*"),
    build::time<&Interaction::occurred_at>("occurred_at", "occurred_at", F | S | I | L,
                                           "ISO-8601 time it happened (default: now)")
        .named("at"),
    build::enumeration<&Interaction::direction>("direction", "direction", kDirections, F | S | G | I | L,
                                                "inbound|outbound|internal"),
    build::text<&Interaction::channel>("channel", "channel", F | S | G | I, "channel (phone, zoom …)"),
    build::text<&Interaction::subject>("subject", "subject", F | S | Q | I | L, "subject"),
    build::text<&Interaction::body>("body", "body", F | Q | I, "body").with(long_text),
    build::reference<&Interaction::actor_id>("actor_id", "actor_id", Entity::user, F | S | G | I,
                                             "the user who did it")
        .named("actor"),
    build::text<&Interaction::url>("url", "url", F | S | I, "URL (web_visit, clicked link …)"),
    build::text<&Interaction::referrer>("referrer", "referrer", F | S | I, "referrer"),
    build::text<&Interaction::source>("source", "source", F | S | G | I, "the system it came from"),
    links<&Interaction::contact_ids>("contact_ids", &kContactLinks, Entity::contact,
                                     "contact id (repeatable; replaces the contacts)", "contact"),
    links<&Interaction::account_ids>("account_ids", &kAccountLinks, Entity::account,
                                     "account id (repeatable; replaces the accounts)", "account"),
    links<&Interaction::deal_ids>("deal_ids", &kDealLinks, Entity::deal, "deal id (repeatable; replaces the deals)",
                                  "deal"),
    links<&Interaction::ticket_ids>("ticket_ids", &kTicketLinks, Entity::ticket,
                                    "ticket id (repeatable; replaces the tickets)", "ticket"),
};

constexpr RefDef<Interaction> kInteractionRefs[] = {
    build::block<Interaction>("actor_id", "actor_id", Entity::user, "interactions"),
};

result<void> validate_one(Write& w, Interaction& v, const Interaction*) {
    interactions::LinkChecker lc{w.db};
    return interactions::validate(lc, v);
}

// An outbound interaction linked to a ticket is its first response (tickets area).
// The linked contacts' stored scores follow (scoring area), in the same scope.
result<void> after_write(Write& w, const Interaction* old, const Interaction& v) {
    CRM_TRYV(tickets::note_outbound(w, v, old));
    if (!old) CRM_TRYV(interactions::run_created_hooks(w, v));
    std::vector<Id> contacts = v.contact_ids;
    std::vector<std::string> kinds = {v.kind};
    if (old) {
        contacts.insert(contacts.end(), old->contact_ids.begin(), old->contact_ids.end());
        kinds.push_back(old->kind);
    }
    return scoring::refresh_contacts(w, std::move(contacts), &kinds);
}
result<void> after_remove(Write& w, const Interaction& old) {
    const std::vector<std::string> kinds = {old.kind};
    return scoring::refresh_contacts(w, old.contact_ids, &kinds);
}

const KindDef<Interaction> kInteraction{Entity::interaction, "interaction", "interactions", "interactions", 9,
                                        kInteractionFields, kInteractionRefs, &validate_one, &after_write,
                                        &store::save_interaction_children, &store::load_interaction_children,
                                        kIgnored, &after_remove};
}  // namespace

template <> const KindDef<Interaction>& kind_def<Interaction>() noexcept { return kInteraction; }
const KindEntry& interaction_kind() { return entry<Interaction>(); }

}  // namespace records

CRM_RECORD_KIND(Interaction);


Interactions Db::interactions() noexcept { return Interactions(impl_.get()); }

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
    if (!db_) return records::closed();
    if (entity != Entity::contact && entity != Entity::account && entity != Entity::deal && entity != Entity::ticket)
        return invalid("entity", fmt::format("{} has no timeline (contact, account, deal or ticket)", entity_name(entity)));
    if (q.limit < 1 || q.limit > kMaxTimelinePage) return invalid("limit", "must be between 1 and 1000");
    store::TimelineBounds b;
    b.since = q.since.value_or(INT64_MIN);
    b.until = q.until.value_or(INT64_MAX);
    b.limit = q.limit + 1;
    if (!q.kinds.empty()) {
        for (std::size_t i = 0; i < q.kinds.size(); ++i) CRM_TRYV(interactions::check_kind(fmt::format("kinds[{}]", i), q.kinds[i]));
        b.kinds_json = nlohmann::json(q.kinds).dump();
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
        page.items = records::load_all<Interaction>(*db_, ids);
        return page;
    });
}

namespace interactions {
namespace {
// The linked contact an email event is about (see Interactions::track): the one
// holding ev.address, or the email's only contact. nullopt: no contact is linked.
result<std::optional<Contact>> recipient(DbImpl& db, const Interaction& mail, EmailEvent& ev) {
    if (!ev.address.empty()) {
        CRM_TRY(auto norm, text::normalize_email("address", ev.address));
        for (Id c : mail.contact_ids) {
            CRM_TRY(Contact contact, records::load_full<Contact>(db, c));
            for (const auto& e : contact.emails)
                if (text::ascii_lower(e.address) == norm) {
                    ev.address = e.address;
                    return std::optional<Contact>(std::move(contact));
                }
        }
        return invalid("address", fmt::format("'{}' is not an address of a contact this email is linked to",
                                              ev.address));
    }
    if (mail.contact_ids.empty()) return std::optional<Contact>{};
    const bool changes_contact = ev.type == EmailEventType::unsubscribed || (ev.type == EmailEventType::bounced && !ev.soft);
    if (mail.contact_ids.size() > 1) {
        if (changes_contact)
            return invalid("address", fmt::format("the email is linked to {} contacts: name the recipient's address",
                                                  mail.contact_ids.size()));
        return std::optional<Contact>{};
    }
    CRM_TRY(Contact contact, records::load_full<Contact>(db, mail.contact_ids.front()));
    if (const auto* primary = contact.primary_email()) ev.address = primary->address;
    return std::optional<Contact>(std::move(contact));
}
}  // namespace
}  // namespace interactions

result<Id> Interactions::track(Id interaction_id, const EmailEvent& event) noexcept {
    if (!db_) return records::closed();
    EmailEvent ev = event;
    CRM_TRYV(text::check("url", ev.url, db_->options.max_text_bytes, false));
    CRM_TRYV(text::check("address", ev.address, 320, false));
    ev.address = text::trim(ev.address);
    if (!ev.url.empty() && ev.type != EmailEventType::clicked)
        return invalid("url", fmt::format("only a clicked event has a url, not {}", to_string(ev.type)));
    if (ev.soft && ev.type != EmailEventType::bounced)
        return invalid("soft", fmt::format("only a bounce is soft or hard, not {}", to_string(ev.type)));
    if (ev.at != 0)
        if (auto r = records::check_time("at", ev.at); !r) return r.error();
    return db_->write([&]() -> result<Id> {
        auto kind = store::interaction_kind(*db_, interaction_id);
        if (!kind) return make_error(errc::not_found, fmt::format("no interaction with id {}", interaction_id));
        if (*kind != "email")
            return invalid("interaction_id", fmt::format("interaction {} is a {}, not an email: only emails are tracked",
                                                         interaction_id, *kind));
        CRM_TRY(const Interaction mail, records::load_full<Interaction>(*db_, interaction_id));
        const Timestamp now = db_->now();
        if (ev.at == 0) ev.at = std::max(now, mail.occurred_at);
        if (ev.at < mail.occurred_at)
            return invalid("at", fmt::format("{} is before the email was sent ({})", format_iso8601(ev.at),
                                             format_iso8601(mail.occurred_at)));
        CRM_TRY(auto who, interactions::recipient(*db_, mail, ev));
        Id id = store::insert_email_event(*db_, interaction_id, ev, now);
        Change c;
        c.entity = Entity::interaction;
        c.record_id = interaction_id;
        c.at = now;
        c.actor_id = db_->actor;
        c.op = ChangeOp::update;
        c.field = "email_events";
        c.old_value = "null";
        c.new_value = to_json(ev);
        store::append_change(*db_, c);
        // What the event means for the recipient, through the contacts' update path.
        if (who) {
            Contact changed = *who;
            bool differs = false;
            if (ev.type == EmailEventType::unsubscribed && changed.consent.email) {
                changed.consent.email = false;
                differs = true;
            }
            if (ev.type == EmailEventType::bounced && !ev.soft)
                for (auto& e : changed.emails)
                    if (!e.undeliverable && text::ascii_lower(e.address) == text::ascii_lower(ev.address)) {
                        e.undeliverable = true;
                        differs = true;
                    }
            if (differs) {
                records::Write w{*db_};
                CRM_TRYV(records::update(w, std::move(changed), *who));
            }
        }
        records::Write w{*db_};
        const std::vector<std::string> kinds = {"email"};
        CRM_TRYV(scoring::refresh_contacts(w, mail.contact_ids, &kinds));
        return id;
    });
}

result<std::vector<EmailEvent>> Interactions::email_events(Id interaction_id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<EmailEvent>> {
        if (!store::interaction_kind(*db_, interaction_id))
            return make_error(errc::not_found, fmt::format("no interaction with id {}", interaction_id));
        return store::load_email_events(*db_, interaction_id);
    });
}


std::string to_json(const EmailEvent& v) {
    nlohmann::json j = {{"id", v.id}, {"event", to_string(v.type)}, {"at", format_iso8601(v.at)},
                        {"url", v.url.empty() ? nlohmann::json(nullptr) : nlohmann::json(v.url)},
                        {"address", v.address.empty() ? nlohmann::json(nullptr) : nlohmann::json(v.address)}};
    if (v.type == EmailEventType::bounced) j["soft"] = v.soft;
    return j.dump();
}

result<EmailEvent> email_event_from_json(std::string_view text) noexcept {
    try {
        CRM_TRY(auto j, json::parse_object(text, "event"));
        EmailEvent ev;
        bool typed = false;
        for (auto it = j.begin(); it != j.end(); ++it) {
            const auto& k = it.key();
            const auto& x = it.value();
            if (k == "event") {
                auto t = x.is_string() ? email_event_from_string(x.get<std::string>()) : std::nullopt;
                if (!t) return invalid("event", "must be one of sent, delivered, opened, clicked, bounced, unsubscribed");
                ev.type = *t;
                typed = true;
            } else if (k == "at") {
                if (x.is_null()) continue;
                CRM_TRY(ev.at, records::read_time("at", x));
            } else if (k == "url" || k == "address") {
                if (x.is_null()) continue;
                if (!x.is_string()) return invalid(k, "must be a string");
                (k == "url" ? ev.url : ev.address) = x.get<std::string>();
            } else if (k == "soft") {
                if (!x.is_boolean()) return invalid("soft", "must be true or false");
                ev.soft = x.get<bool>();
            } else if (k == "id") {
                continue;  // assigned when stored
            } else {
                return invalid(k, "is not a field of an email event (event, at, url, address, soft)");
            }
        }
        if (!typed) return invalid("event", "is required (sent, delivered, opened, clicked, bounced, unsubscribed)");
        return ev;
    } catch (const std::exception& e) {
        return invalid("event", e.what());
    }
}

result<Interaction> interaction_from_json(std::string_view text) noexcept { return from_json<Interaction>(text); }

result<TimelineQuery> timeline_query_from_json(std::string_view text) noexcept {
    try {
        TimelineQuery q;
        if (text.empty()) return q;
        CRM_TRY(auto j, json::parse_text(text, "query"));
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
                CRM_TRY(Timestamp t, records::read_time(k, x));
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
