// Documents: quotes, invoices, proposals, contracts — metadata as a record kind,
// content streamed in and out of a blob with SQLite's incremental I/O, and the
// log of sends.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <climits>
#include <istream>
#include <ostream>
#include <vector>

#include "documents/sha256.hpp"
#include "records/kind_entry.hpp"
#include "store/tasks_store.hpp"
#include "util/text.hpp"

namespace crm {

namespace records {
namespace {
constexpr const char* kKinds[] = {"quote", "invoice", "proposal", "contract", "other"};
}  // namespace
}  // namespace records

const char* to_string(DocumentKind k) noexcept { return records::enum_name(records::kKinds, k); }
std::optional<DocumentKind> document_kind_from_string(const std::string& s) noexcept {
    return records::enum_from_name<DocumentKind>(records::kKinds, s);
}

namespace documents {
namespace {
constexpr std::int64_t kDefaultMaxSize = 64LL * 1024 * 1024;
constexpr std::int64_t kHardMaxSize = 1'000'000'000;  // SQLite's default SQLITE_MAX_LENGTH
constexpr std::size_t kChunk = 64 * 1024;
// Stored content comes only through the content path (Write::managed): has_content,
// size and sha256 are then computed here and read-only afterwards.
result<void> validate(records::Write& w, Document& v, const Document* old) {
    auto& db = w.db;
    const auto max = db.options.max_text_bytes;
    v.name = text::trim(v.name);
    CRM_TRYV(text::check("name", v.name, max, true));
    v.mime_type = text::ascii_lower(text::trim(v.mime_type));
    CRM_TRYV(text::check("mime_type", v.mime_type, 255, false));
    v.uri = text::trim(v.uri);
    CRM_TRYV(text::check("uri", v.uri, 4096, false));
    CRM_TRYV(records::check_links(w, v.links, {Entity::account, Entity::contact, Entity::deal}));
    v.has_content = old ? old->has_content : w.managed;
    if (v.has_content) {
        if (old) {
            v.size = old->size;  // computed from the content: read-only
            v.sha256 = old->sha256;
        }
        if (!v.uri.empty()) return invalid("uri", "a document with stored content cannot also have an external uri");
        return ok();
    }
    if (v.size < 0) return invalid("size", "must not be negative");
    v.sha256 = text::ascii_lower(v.sha256);
    if (!v.sha256.empty() && (v.sha256.size() != 64 || v.sha256.find_first_not_of("0123456789abcdef") != std::string::npos))
        return invalid("sha256", "must be 64 hexadecimal digits");
    if (v.uri.empty() && (v.size != 0 || !v.sha256.empty()))
        return invalid("size", "size and sha256 are computed from stored content: state them only for an external uri");
    return ok();
}

std::int64_t max_size_of(detail::DbImpl& db) { return store::setting(db, "document_max_size").value_or(kDefaultMaxSize); }
}  // namespace
}  // namespace documents

namespace records {
namespace {
using namespace caps;

// Where the links are stored (a merge of duplicates finds the documents linked to a record).
constexpr ChildColumn kDocumentLinkRows{"document_links", "document_id", "record_id", "entity"};

constexpr FieldDef<Document> kDocumentFields[] = {
    build::enumeration<&Document::kind>("kind", "kind", kKinds, F | S | G | I | L, "quote|invoice|proposal|contract|other"),
    build::text<&Document::name>("name", "name", F | S | Q | I | L | R, "document name"),
    build::text<&Document::mime_type>("mime_type", "mime_type", F | S | G | I | L, "MIME type").named("mime"),
    build::text<&Document::uri>("uri", "uri", F | I | L, "external location"),
    build::integer<&Document::size>("size", "size", F | S | L | C, "bytes of content"),
    build::text<&Document::sha256>("sha256", "sha256", F | L | C, "SHA-256 of the content"),
    build::boolean<&Document::has_content>("has_content", nullptr, C, "content is stored"),
    build::links<&Document::links>("links", I,
                                   "ENTITY:ID of an account, contact or deal (repeatable; replaces the links)")
        .named("link")
        .child_of(&kDocumentLinkRows),
};

const KindDef<Document> kDocument{Entity::document, "document", "documents", "documents", 12, kDocumentFields, {},
                                  &documents::validate, nullptr, &store::save_document_children,
                                  &store::load_document_children};
}  // namespace

template <> const KindDef<Document>& kind_def<Document>() noexcept { return kDocument; }
const KindEntry& document_kind() { return entry<Document>(); }

}  // namespace records

CRM_RECORD_KIND(Document);

Documents Db::documents() noexcept { return Documents(impl_.get()); }

std::string to_json(const DocumentSend& s) {
    auto opt = [](const std::optional<Id>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
    return nlohmann::json{{"id", s.id}, {"document_id", s.document_id}, {"contact_id", s.contact_id},
                          {"sent_at", format_iso8601(s.sent_at)}, {"interaction_id", opt(s.interaction_id)},
                          {"actor_id", opt(s.actor_id)}}
        .dump();
}

// ---- writer --------------------------------------------------------------------

// The writer holds one write scope from open_writer() until commit() or destruction:
// the content row and the document are one atomic unit.
struct DocumentWriter::State {
    detail::DbImpl* db = nullptr;
    Document meta;
    std::int64_t size = 0;
    std::int64_t written = 0;
    Sha256 hash;
    Id content_id = 0;
    std::optional<store::ContentBlob> blob;
    std::optional<store::WriteScope> scope;

    bool active() const { return scope && scope->active(); }
    void abort() noexcept {
        blob.reset();
        scope.reset();  // rolls back (nothing if the database was closed meanwhile)
    }
};

DocumentWriter::DocumentWriter(std::unique_ptr<State> s) noexcept : s_(std::move(s)) {}
DocumentWriter::DocumentWriter(DocumentWriter&& o) noexcept = default;
DocumentWriter::~DocumentWriter() {
    if (s_) s_->abort();
}
std::int64_t DocumentWriter::written() const noexcept { return s_ ? s_->written : 0; }

result<void> DocumentWriter::write(const void* data, std::size_t size) noexcept {
    if (!s_ || !s_->active()) return make_error(errc::closed, "document writer is finished");
    if (!s_->db->conn) return make_error(errc::closed, "database handle is closed");
    if (size == 0) return ok();
    if (!data) return invalid("data", "must not be NULL");
    if (static_cast<std::int64_t>(size) > s_->size - s_->written)
        return invalid("content", fmt::format("more than the declared {} bytes", s_->size));
    try {
        auto p = static_cast<const unsigned char*>(data);
        std::size_t left = size;
        while (left) {
            const int n = static_cast<int>(std::min<std::size_t>(left, documents::kChunk * 16));
            s_->blob->write(p, n, s_->written);
            s_->hash.update(p, static_cast<std::size_t>(n));
            s_->written += n;
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        return ok();
    } catch (...) {
        auto e = detail::error_from_exception(std::current_exception());
        s_->abort();
        return e;
    }
}

result<Id> DocumentWriter::commit() noexcept {
    if (!s_ || !s_->active()) return make_error(errc::closed, "document writer is finished");
    if (!s_->db->conn) return make_error(errc::closed, "database handle is closed");
    if (s_->written != s_->size)
        return invalid("content", fmt::format("{} of the declared {} bytes were written", s_->written, s_->size));
    s_->blob.reset();
    Document meta = s_->meta;
    meta.size = s_->size;
    meta.sha256 = s_->hash.hex_digest();
    auto r = s_->db->write([&]() -> result<Id> {
        records::Write w{*s_->db, /*managed=*/true};
        CRM_TRY(Id id, records::create(w, meta));
        store::attach_content(*s_->db, s_->content_id, id);
        return id;
    });
    if (!r) {
        s_->abort();
        return r;
    }
    try {
        s_->scope->commit();
        s_->scope.reset();
    } catch (...) {
        auto e = detail::error_from_exception(std::current_exception());
        s_->abort();
        return e;
    }
    return r;
}

// ---- reader --------------------------------------------------------------------

struct DocumentReader::State {
    detail::DbImpl* db = nullptr;
    std::optional<store::ContentBlob> blob;
    std::int64_t size = 0, pos = 0;
    bool verify = true;
    std::string expected;
    Sha256 hash;
};

DocumentReader::DocumentReader(std::unique_ptr<State> s) noexcept : s_(std::move(s)) {}
DocumentReader::DocumentReader(DocumentReader&&) noexcept = default;
DocumentReader::~DocumentReader() = default;
std::int64_t DocumentReader::size() const noexcept { return s_ ? s_->size : 0; }

result<std::size_t> DocumentReader::read(void* out, std::size_t size) noexcept {
    if (s_ && !s_->blob && s_->pos == s_->size) return std::size_t{0};  // at the end
    if (!s_ || !s_->blob) return make_error(errc::closed, "document reader is finished");
    if (!s_->db->conn) return make_error(errc::closed, "database handle is closed");
    if (size > 0 && !out) return invalid("out", "must not be NULL");
    const auto n = static_cast<std::size_t>(std::min<std::int64_t>(
        static_cast<std::int64_t>(std::min<std::size_t>(size, INT_MAX)), s_->size - s_->pos));
    try {
        if (n > 0) {
            s_->blob->read(out, static_cast<int>(n), s_->pos);
            s_->pos += static_cast<std::int64_t>(n);
            if (s_->verify) s_->hash.update(out, n);
        }
        if (s_->pos == s_->size) {
            s_->blob.reset();  // ends the read transaction
            if (s_->verify && s_->hash.hex_digest() != s_->expected)
                return make_error(errc::corrupt, "document content does not match its SHA-256");
        }
        return n;
    } catch (...) {
        s_->blob.reset();
        return detail::error_from_exception(std::current_exception());
    }
}

// ---- Documents -----------------------------------------------------------------

result<void> Documents::set_max_size(std::int64_t bytes) noexcept {
    if (!db_) return records::closed();
    if (bytes < 0 || bytes > documents::kHardMaxSize)
        return invalid("max_size", fmt::format("must be 0 … {} bytes", documents::kHardMaxSize));
    return db_->write([&]() -> result<void> {
        store::set_setting(*db_, "document_max_size", bytes);
        return ok();
    });
}

result<std::int64_t> Documents::max_size() noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::int64_t> { return documents::max_size_of(*db_); });
}

result<DocumentWriter> Documents::open_writer(const Document& meta, std::int64_t size) noexcept {
    if (!db_) return records::closed();
    if (!db_->conn) return make_error(errc::closed, "database handle is closed");
    if (db_->options.read_only) return make_error(errc::read_only, "database was opened read-only");
    if (size < 0) return invalid("size", "must not be negative");
    if (!meta.uri.empty()) return invalid("uri", "a document with stored content cannot also have an external uri");
    CRM_TRY(auto limit, max_size());
    if (size > limit)
        return invalid("content", fmt::format("{} bytes is over the document size limit of {} bytes", size, limit));
    auto s = std::make_unique<DocumentWriter::State>();
    s->db = db_;
    s->meta = meta;
    s->size = size;
    if (store::WriteScope::inner_open(*db_))
        return invalid("writer", "another document writer is open on this database handle");
    try {
        s->scope.emplace(*db_);
        s->content_id = store::insert_content(*db_, size);
        s->blob.emplace(*db_, s->content_id, true);
    } catch (...) {
        auto e = detail::error_from_exception(std::current_exception());
        s->abort();
        return e;
    }
    return DocumentWriter(std::move(s));
}

result<Id> Documents::create_with_content(const Document& meta, const void* data, std::size_t size) noexcept {
    if (size > 0 && !data) return invalid("data", "must not be NULL");
    CRM_TRY(auto w, open_writer(meta, static_cast<std::int64_t>(size)));
    CRM_TRYV(w.write(data, size));
    return w.commit();
}

result<Id> Documents::create_with_content(const Document& meta, std::istream& in) noexcept {
    if (!db_) return records::closed();
    try {
        CRM_TRY(auto limit, max_size());
        // A seekable stream is measured and streamed; otherwise read up to the limit first.
        const auto start = in.tellg();
        if (start != std::istream::pos_type(-1) && in.seekg(0, std::ios::end)) {
            const auto end = in.tellg();
            in.seekg(start);
            const std::int64_t size = static_cast<std::int64_t>(end - start);
            CRM_TRY(auto w, open_writer(meta, size));
            std::vector<char> buf(documents::kChunk);
            std::int64_t left = size;
            while (left > 0) {
                in.read(buf.data(), static_cast<std::streamsize>(std::min<std::int64_t>(left, static_cast<std::int64_t>(buf.size()))));
                const auto got = in.gcount();
                if (got <= 0) return make_error(errc::io_error, "content stream ended early");
                CRM_TRYV(w.write(buf.data(), static_cast<std::size_t>(got)));
                left -= got;
            }
            return w.commit();
        }
        in.clear();
        std::string all;
        std::vector<char> buf(documents::kChunk);
        while (in) {
            in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
            all.append(buf.data(), static_cast<std::size_t>(in.gcount()));
            if (static_cast<std::int64_t>(all.size()) > limit)
                return invalid("content", fmt::format("over the document size limit of {} bytes", limit));
        }
        if (in.bad()) return make_error(errc::io_error, "cannot read the content stream");
        return create_with_content(meta, all.data(), all.size());
    } catch (const std::bad_alloc&) {
        return make_error(errc::out_of_memory, "out of memory reading the content stream");
    } catch (const std::exception& e) {
        return make_error(errc::io_error, fmt::format("cannot read the content stream: {}", e.what()));
    }
}


result<DocumentReader> Documents::open_reader(Id id, bool verify) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<DocumentReader> {
        Document d;
        if (!store::load(*db_, id, d)) return make_error(errc::not_found, fmt::format("no document with id {}", id));
        auto cid = store::content_id_of(*db_, id);
        if (!cid)
            return make_error(errc::not_found, fmt::format("document {} has no stored content{}", id,
                                                           d.uri.empty() ? "" : " (it points to " + d.uri + ")"));
        auto s = std::make_unique<DocumentReader::State>();
        s->db = db_;
        s->blob.emplace(*db_, *cid, false);
        s->size = s->blob->size();
        s->verify = verify;
        s->expected = d.sha256;
        return DocumentReader(std::move(s));
    });
}

result<std::int64_t> Documents::read_content(Id id, std::ostream& out, bool verify) noexcept {
    CRM_TRY(auto r, open_reader(id, verify));
    std::vector<char> buf(documents::kChunk);
    std::int64_t total = 0;
    for (;;) {
        CRM_TRY(auto n, r.read(buf.data(), buf.size()));
        if (n == 0) break;
        try {
            out.write(buf.data(), static_cast<std::streamsize>(n));
        } catch (...) {
            return make_error(errc::io_error, "cannot write the content to the output stream");
        }
        if (!out) return make_error(errc::io_error, "cannot write the content to the output stream");
        total += static_cast<std::int64_t>(n);
    }
    return total;
}

result<Id> Documents::record_sent(Id document_id, Id contact_id, Timestamp at, std::optional<Id> interaction_id) noexcept {
    if (!db_) return records::closed();
    return db_->write([&]() -> result<Id> {
        if (!store::exists(*db_, Entity::document, document_id))
            return make_error(errc::not_found, fmt::format("no document with id {}", document_id), "document_id");
        if (!store::exists(*db_, Entity::contact, contact_id))
            return invalid("contact_id", fmt::format("no contact with id {}", contact_id));
        DocumentSend s;
        s.document_id = document_id;
        s.contact_id = contact_id;
        s.sent_at = at ? at : db_->now();
        s.interaction_id = interaction_id;
        s.actor_id = db_->actor;
        return store::insert_send(*db_, s);
    });
}

result<std::vector<DocumentSend>> Documents::sends(Id document_id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<DocumentSend>> {
        if (!store::exists(*db_, Entity::document, document_id))
            return make_error(errc::not_found, fmt::format("no document with id {}", document_id));
        return store::sends_where(*db_, false, document_id);
    });
}

result<std::vector<DocumentSend>> Documents::sends_to_contact(Id contact_id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<DocumentSend>> { return store::sends_where(*db_, true, contact_id); });
}

result<std::vector<Document>> Documents::for_record(Entity entity, Id id) noexcept {
    if (!db_) return records::closed();
    return db_->read([&]() -> result<std::vector<Document>> {
        std::vector<Document> out;
        for (Id d : store::linked_ids(*db_, "document_links", entity, id)) {
            CRM_TRY(Document v, records::load_full<Document>(*db_, d));
            out.push_back(std::move(v));
        }
        return out;
    });
}

}  // namespace crm
