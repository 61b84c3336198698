// Documents (B3): metadata records, streamed content with SHA-256, size limit, sends.
#include <catch2/catch.hpp>

#include <sstream>

#include "documents/sha256.hpp"
#include "helpers.hpp"

using namespace crm;

namespace {
Document meta(const std::string& name, DocumentKind kind = DocumentKind::quote) {
    Document d;
    d.name = name;
    d.kind = kind;
    d.mime_type = "application/pdf";
    return d;
}
std::string binary(std::size_t n) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + i / 7) % 256);
    s[0] = '\0';
    s[n / 2] = '\0';
    return s;
}
}  // namespace

TEST_CASE("sha256: FIPS 180-4 test vectors", "[documents][sha256]") {
    CHECK(sha256_hex("", 0) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc", 3) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const std::string two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    CHECK(sha256_hex(two.data(), two.size()) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const std::string four = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    CHECK(sha256_hex(four.data(), four.size()) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    Sha256 h;  // one million 'a', fed in uneven pieces
    const std::string a(1000, 'a');
    for (int i = 0; i < 1000; ++i) h.update(a.data(), a.size());
    CHECK(h.hex_digest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    Sha256 split;
    split.update("a", 1);
    split.update("bc", 2);
    CHECK(split.hex_digest() == sha256_hex("abc", 3));
}

TEST_CASE("documents: binary content round trip with NUL bytes, Japanese names, links", "[documents]") {
    testing::TempDir dir;
    auto db = Db::open(dir.file("d.crm")).value();
    Account a;
    a.name = "株式会社テスト";
    const Id acme = db.accounts().create(a).value();
    const Id yamada = db.contacts().create(testing::contact("山田 太郎")).value();

    const std::string content = binary(300'000);
    Document d = meta("見積書_2026年11月.pdf");
    d.links = {{Entity::account, acme}, {Entity::contact, yamada}};
    std::istringstream in(content);
    const Id id = db.documents().create_with_content(d, in).value();

    auto got = db.documents().get(id).value();
    CHECK(got.name == "見積書_2026年11月.pdf");
    CHECK(got.kind == DocumentKind::quote);
    CHECK(got.size == 300'000);
    CHECK(got.has_content);
    CHECK(got.sha256 == sha256_hex(content.data(), content.size()));
    CHECK(got.links.size() == 2);
    CHECK(db.documents().for_record(Entity::account, acme).value().size() == 1);

    std::ostringstream out;
    CHECK(db.documents().read_content(id, out).value() == 300'000);
    CHECK(out.str() == content);

    // Chunked reader.
    auto r = db.documents().open_reader(id).value();
    CHECK(r.size() == 300'000);
    std::string back;
    char buf[4097];
    for (;;) {
        auto n = r.read(buf, sizeof buf).value();
        if (n == 0) break;
        back.append(buf, n);
    }
    CHECK(back == content);

    // Writer with chunks; the metadata stays editable, the content's size/hash do not.
    Document d2 = meta("契約書.docx", DocumentKind::contract);
    auto w = db.documents().open_writer(d2, 10).value();
    REQUIRE(w.write("\0\1\2\3\4", 5));
    REQUIRE(w.write("56789", 5));
    CHECK_FALSE(w.write("x", 1));  // over the declared size
    const Id id2 = w.commit().value();
    auto p = db.documents().patch(id2, R"({"name":"契約書_改.docx","size":1,"sha256":""})").value();
    CHECK(p.name == "契約書_改.docx");
    CHECK(p.size == 10);
    CHECK(p.sha256 == sha256_hex(std::string("\0\1\2\3\4" "56789", 10).data(), 10));

    // External URI instead of content.
    Document ext = meta("提案書", DocumentKind::proposal);
    ext.uri = "https://files.example.jp/提案書.pdf";
    const Id id3 = db.documents().create(ext).value();
    CHECK_FALSE(db.documents().get(id3).value().has_content);
    std::ostringstream none;
    CHECK(db.documents().read_content(id3, none).error().code == errc::not_found);

    // Deleting removes the content too.
    REQUIRE(db.documents().remove(id));
    CHECK(db.documents().read_content(id, none).error().code == errc::not_found);
    CHECK(db.documents().history(id).value().size() == 2);
}

TEST_CASE("documents: over the size limit or bad input, nothing is stored", "[documents][bad-input]") {
    testing::TempDir dir;
    const auto path = dir.file("limit.crm");
    auto db = Db::open(path).value();
    REQUIRE(db.documents().set_max_size(1000));
    CHECK(db.documents().max_size().value() == 1000);
    REQUIRE(db.documents().create_with_content(meta("小さい.pdf"), binary(1000).data(), 1000));
    const auto before = testing::dump(path);

    const std::string big = binary(1001);
    auto r = db.documents().create_with_content(meta("大きすぎる.pdf"), big.data(), big.size());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::invalid_argument);
    CHECK(r.error().field == "content");
    CHECK(testing::dump(path) == before);

    std::istringstream in(big);
    CHECK(db.documents().create_with_content(meta("大きすぎる.pdf"), in).error().field == "content");
    CHECK(testing::dump(path) == before);

    {  // a writer abandoned half-way stores nothing
        auto w = db.documents().open_writer(meta("途中.pdf"), 100).value();
        REQUIRE(w.write("abc", 3));
        CHECK(w.commit().error().field == "content");  // fewer bytes than declared
    }
    CHECK(testing::dump(path) == before);
    {
        auto w = db.documents().open_writer(meta("途中.pdf"), 3).value();
        REQUIRE(w.write("abc", 3));
    }  // destroyed uncommitted
    CHECK(testing::dump(path) == before);

    CHECK(db.documents().create_with_content(meta(""), "x", 1).error().field == "name");
    CHECK(testing::dump(path) == before);
    Document linked = meta("リンク");
    linked.links = {{Entity::user, 1}};
    CHECK(db.documents().create(linked).error().field == "links[0]");
    linked.links = {{Entity::contact, 42}};
    CHECK(db.documents().create(linked).error().field == "links[0]");
    Document claims = meta("主張");
    claims.size = 5;
    CHECK(db.documents().create(claims).error().field == "size");
    claims.uri = "https://example.jp/x";
    claims.sha256 = "zz";
    CHECK(db.documents().create(claims).error().field == "sha256");
    CHECK(db.documents().set_max_size(-1).error().field == "max_size");
    CHECK(testing::dump(path) == before);
    // The write lock is released: other writes go through.
    CHECK(db.contacts().create(testing::contact("後続")));
}

TEST_CASE("documents: sends are recorded per document and per contact", "[documents][sends]") {
    testing::TempDir dir;
    const auto path = dir.file("sends.crm");
    auto db = Db::open(path).value();
    const Id yamada = db.contacts().create(testing::contact("山田 太郎")).value();
    const Id suzuki = db.contacts().create(testing::contact("鈴木 花子")).value();
    const Id doc = db.documents().create_with_content(meta("請求書.pdf", DocumentKind::invoice), "PDF", 3).value();
    const Timestamp t = parse_iso8601("2026-11-24T10:00:00+09:00").value();
    REQUIRE(db.documents().record_sent(doc, yamada, t, 77));
    REQUIRE(db.documents().record_sent(doc, suzuki, t + 1000));
    auto s = db.documents().sends(doc).value();
    REQUIRE(s.size() == 2);
    CHECK(s[0].contact_id == yamada);
    CHECK(s[0].sent_at == t);
    CHECK(s[0].interaction_id == 77);
    CHECK_FALSE(s[1].interaction_id);
    CHECK(db.documents().sends_to_contact(suzuki).value().size() == 1);

    const auto before = testing::dump(path);
    CHECK(db.documents().record_sent(doc, 999, t).error().field == "contact_id");
    CHECK(db.documents().record_sent(999, yamada, t).error().code == errc::not_found);
    CHECK(testing::dump(path) == before);
}

TEST_CASE("documents: closing the database with readers and writers open is safe", "[documents][close]") {
    testing::TempDir dir;
    const auto path = dir.file("d.crm");
    Id id = 0;
    {
        auto db = Db::open(path).value();
        const std::string content = binary(100'000);
        std::istringstream in(content);
        id = db.documents().create_with_content(meta("提案書.pdf"), in).value();
        auto r1 = db.documents().open_reader(id).value();
        auto r2 = db.documents().open_reader(id, false).value();
        char buf[1000];
        REQUIRE(r1.read(buf, sizeof buf).value() == sizeof buf);
        // A writer too (it holds the write lock, in its own transaction).
        auto w = db.documents().open_writer(meta("書きかけ.pdf"), 10).value();
        REQUIRE(w.write("12345", 5));
        REQUIRE(db.close());  // once aborted the process (SQLite cannot close with open blobs)
        auto after = r1.read(buf, sizeof buf);
        REQUIRE_FALSE(after);
        CHECK(after.error().code == errc::closed);
        CHECK(r2.read(buf, sizeof buf).error().code == errc::closed);
        CHECK(w.write("67890", 5).error().code == errc::closed);
        CHECK(w.commit().error().code == errc::closed);
    }  // the reader and writer are destroyed after the Db: nothing to do, nothing touched
    auto db = Db::open(path).value();
    CHECK(db.documents().count().value() == 1);  // the unfinished writer stored nothing
    std::ostringstream out;
    CHECK(db.documents().read_content(id, out).value() == 100'000);
}
