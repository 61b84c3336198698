// crm/documents.hpp — quotes, invoices, proposals, contracts.
//
//   crm::Document d; d.kind = crm::DocumentKind::quote; d.name = "見積書_2026.pdf";
//   d.mime_type = "application/pdf"; d.links = {{crm::Entity::account, acme}};
//   std::ifstream in("見積書_2026.pdf", std::ios::binary);
//   crm::Id id = db.documents().create_with_content(d, in).value();   // SHA-256 computed here
//   db.documents().record_sent(id, yamada, crm::now_ms());
//
// docs/documents.md describes storage, limits and semantics.
#pragma once

#include <iosfwd>
#include <memory>

#include "crm/db.hpp"

namespace crm {

enum class DocumentKind { quote, invoice, proposal, contract, other };
const char* to_string(DocumentKind k) noexcept;
std::optional<DocumentKind> document_kind_from_string(const std::string& s) noexcept;

struct Document {
    Id id = 0;
    std::string external_id;
    DocumentKind kind = DocumentKind::other;
    std::string name;         // required: 見積書_2026.pdf
    std::string mime_type;    // "application/pdf"; empty = unknown
    std::string uri;          // external location instead of stored content
    // For stored content these three are computed by the library and read-only.
    // For an external uri, size and sha256 may be stated by the caller (informational).
    std::int64_t size = 0;
    std::string sha256;       // 64 lower-case hex digits, empty if unknown
    bool has_content = false; // content is stored in the database
    std::vector<RecordLink> links;  // accounts, contacts and deals only
    Tags tags;
    CustomFields custom;
    Timestamp created_at = 0, updated_at = 0;
};

struct DocumentSend {
    Id id = 0;
    Id document_id = 0;
    Id contact_id = 0;
    Timestamp sent_at = 0;
    std::optional<Id> interaction_id;  // plain integer, no foreign key
    std::optional<Id> actor_id;
};

class Db;

// Streams content into a new document. Holds the database's write lock from
// open_writer() until commit() or destruction (destroyed uncommitted: nothing is stored).
class DocumentWriter {
public:
    DocumentWriter(DocumentWriter&&) noexcept;
    DocumentWriter& operator=(DocumentWriter&&) = delete;
    ~DocumentWriter();
    result<void> write(const void* data, std::size_t size) noexcept;  // more than declared: error
    result<Id> commit() noexcept;     // exactly the declared size must have been written
    std::int64_t written() const noexcept;

private:
    friend class Documents;
    struct State;
    explicit DocumentWriter(std::unique_ptr<State> s) noexcept;
    std::unique_ptr<State> s_;
};

// Reads a document's stored content in chunks.
class DocumentReader {
public:
    DocumentReader(DocumentReader&&) noexcept;
    DocumentReader& operator=(DocumentReader&&) = delete;
    ~DocumentReader();
    // Reads up to `size` bytes; returns 0 at the end. With verify, the SHA-256 is
    // checked once the end is reached (errc::corrupt on mismatch).
    result<std::size_t> read(void* out, std::size_t size) noexcept;
    std::int64_t size() const noexcept;

private:
    friend class Documents;
    struct State;
    explicit DocumentReader(std::unique_ptr<State> s) noexcept;
    std::unique_ptr<State> s_;
};

class Documents : public Records<Document> {
public:
    using Records::Records;

    // Largest content accepted, in bytes; stored in the database file (default 64 MiB, at most 1e9).
    result<void> set_max_size(std::int64_t bytes) noexcept;
    result<std::int64_t> max_size() noexcept;

    // Creates a document with content read from `in` to its end. Over the limit:
    // errc::invalid_argument (field "content") and nothing is stored.
    result<Id> create_with_content(const Document& meta, std::istream& in) noexcept;
    result<Id> create_with_content(const Document& meta, const void* data, std::size_t size) noexcept;
    result<DocumentWriter> open_writer(const Document& meta, std::int64_t size) noexcept;

    // Writes the content to `out`; with verify, checks its SHA-256 (errc::corrupt on mismatch).
    result<std::int64_t> read_content(Id id, std::ostream& out, bool verify = true) noexcept;
    result<DocumentReader> open_reader(Id id, bool verify = true) noexcept;

    // Records that a document was sent to a contact. interaction_id is stored as given.
    result<Id> record_sent(Id document_id, Id contact_id, Timestamp at,
                           std::optional<Id> interaction_id = std::nullopt) noexcept;
    result<std::vector<DocumentSend>> sends(Id document_id) noexcept;             // oldest first
    result<std::vector<DocumentSend>> sends_to_contact(Id contact_id) noexcept;   // oldest first
    result<std::vector<Document>> for_record(Entity entity, Id id) noexcept;      // linked documents
};

extern template class Records<Document>;

// JSON documents (docs/documents.md).
std::string to_json(const DocumentSend& v);

}  // namespace crm
