// bench_csv — crm::csv::Reader against a hand-written minimal RFC 4180 splitter.
//
//   bench_csv [N]   (default 100,000 rows)
//
// A generated customer list of N rows (8 columns: Japanese names and companies, e-mail,
// phone, a quoted memo with a comma, a doubled quote or a line break in every 10th row) is
// written as UTF-8 and as CP932. Each phase runs in its own process (its peak RSS is its
// own) and reads the whole file:
//   baseline   the splitter an expert writes for one known file: 64 KiB reads, a
//              four-state machine, no decoding, no validation, no line/column tracking;
//   crm utf-8  Reader with the encoding and delimiter detected (validation, positions);
//   crm cp932  the same over the CP932 file (ICU decoding);
//   crm N/4    crm utf-8 over a quarter of the rows: peak RSS must not follow the size.
// Every phase reports rows and a checksum of every field's bytes; they must agree (the
// CP932 file decodes to the same UTF-8), or the run exits 1. Reported: throughput ratio
// crm / baseline (issue 10's import target counts on the reader staying within 2x), and
// peak RSS of each phase.
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "crm/csv.hpp"

namespace {

const char* kFamily[] = {"山田", "佐藤", "鈴木", "高橋", "田中", "髙木", "渡辺", "伊藤"};
const char* kGiven[] = {"太郎", "花子", "一郎", "ｻﾁｺ", "健", "美咲", "翔太", "陽菜"};
const char* kCompany[] = {"㈱ミライクラウド", "株式会社サンプル", "有限会社テスト", "合同会社ソフト表"};

void make_files(const std::string& utf8_path, const std::string& cp932_path, std::size_t n) {
    std::ofstream u(utf8_path, std::ios::binary), s(cp932_path, std::ios::binary);
    crm::csv::Writer wu(u), ws(s, {.encoding = crm::csv::Encoding::cp932});
    std::vector<std::string> row{"id", "氏名", "会社", "メール", "電話", "メモ", "金額", "登録日"};
    (void)wu.write_row(row);
    (void)ws.write_row(row);
    for (std::size_t i = 0; i < n; ++i) {
        row[0] = std::to_string(i + 1);
        row[1] = std::string(kFamily[i % 8]) + " " + kGiven[(i / 8) % 8];
        row[2] = kCompany[i % 4];
        row[3] = "user" + std::to_string(i) + "@example.co.jp";
        row[4] = "03-" + std::to_string(1000 + i % 9000) + "-5678";
        row[5] = i % 10 == 0 ? "要連絡, \"至急\"\n担当①" : "通常";
        row[6] = std::to_string((i * 7919) % 1000000);
        row[7] = "2026-04-01";
        if (!wu.write_row(row) || !ws.write_row(row)) {
            std::fprintf(stderr, "cannot write the input files\n");
            std::exit(2);
        }
    }
}

std::uint64_t mix(std::uint64_t h, const char* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(p[i])) * 1099511628211ull;
    return h * 31 + n;
}

bench::PhaseResult finish(bench::Stopwatch& sw, long long rows, std::uint64_t sum) {
    bench::PhaseResult r;
    r.seconds = sw.seconds();
    r.records = rows;
    r.ok = 1;
    std::snprintf(r.message, sizeof r.message, "%016" PRIx64, sum);
    return r;
}

// The baseline: what one writes by hand for a file known to be UTF-8, comma, RFC 4180.
bench::PhaseResult baseline(const std::string& path) {
    bench::Stopwatch sw;
    long long rows = 0;
    std::uint64_t sum = 1469598103934665603ull;
    sw.time([&] {
        std::FILE* f = std::fopen(path.c_str(), "rb");
        if (!f) return;
        std::vector<char> buf(64 << 10);
        std::string field;
        enum { start, plain, quoted, quote_seen } st = start;
        std::size_t nfields = 0;
        bool cr = false;
        auto end_field = [&] {
            sum = mix(sum, field.data(), field.size());
            field.clear();
            ++nfields;
        };
        auto end_record = [&] {
            end_field();
            ++rows;
            nfields = 0;
            st = start;
        };
        std::size_t got;
        while ((got = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
            for (std::size_t i = 0; i < got; ++i) {
                const char c = buf[i];
                if (cr && c == '\n') { cr = false; continue; }
                cr = false;
                switch (st) {
                    case start:
                    case plain:
                        if (c == '"' && st == start) st = quoted;
                        else if (c == ',') { end_field(); st = start; }
                        else if (c == '\r' || c == '\n') { cr = c == '\r'; end_record(); }
                        else { field += c; st = plain; }
                        break;
                    case quoted:
                        if (c == '"') st = quote_seen;
                        else field += c;
                        break;
                    case quote_seen:
                        if (c == '"') { field += '"'; st = quoted; }
                        else if (c == ',') { end_field(); st = start; }
                        else if (c == '\r' || c == '\n') { cr = c == '\r'; end_record(); }
                        break;
                }
            }
        }
        if (st != start || !field.empty() || nfields) end_record();
        std::fclose(f);
    });
    return finish(sw, rows, sum);
}

bench::PhaseResult with_crm(const std::string& path) {
    bench::Stopwatch sw;
    long long rows = 0;
    std::uint64_t sum = 1469598103934665603ull;
    std::string why;
    sw.time([&] {
        crm::csv::ReadOptions o;
        o.header = false;
        o.delimiter = 0;
        auto r = crm::csv::Reader::open(path, o);
        if (!r) { why = r.error().message; return; }
        crm::csv::Record rec;
        while (true) {
            auto more = r.value().next(rec);
            if (!more) { why = more.error().message; return; }
            if (!more.value()) break;
            for (const auto& f : rec.fields) sum = mix(sum, f.data(), f.size());
            ++rows;
        }
    });
    if (!why.empty()) return bench::failed(why);
    return finish(sw, rows, sum);
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 100'000;
    bench::ScratchDir dir("");
    const std::string u = dir.file("list-utf8.csv"), s = dir.file("list-cp932.csv");
    const std::string uq = dir.file("quarter-utf8.csv"), sq = dir.file("quarter-cp932.csv");
    make_files(u, s, n);
    make_files(uq, sq, std::max<std::size_t>(1, n / 4));
    const auto size_mb = static_cast<double>(std::filesystem::file_size(u)) / 1e6;

    const auto base = bench::run_phase([&] { return baseline(u); }, true);
    const auto utf8 = bench::run_phase([&] { return with_crm(u); }, true);
    const auto cp932 = bench::run_phase([&] { return with_crm(s); }, true);
    const auto quarter = bench::run_phase([&] { return with_crm(uq); }, true);
    for (const auto* p : {&base, &utf8, &cp932, &quarter})
        if (!p->ok) {
            std::fprintf(stderr, "a phase failed: %s\n", p->message);
            return 1;
        }
    std::printf("bench_csv: %zu rows + header, %.1f MB UTF-8\n", n, size_mb);
    std::printf("  %-22s %10s %10s %12s %s\n", "phase", "seconds", "MB/s", "peak RSS", "checksum");
    auto line = [&](const char* name, const bench::PhaseResult& r, double mb) {
        std::printf("  %-22s %10.3f %10.1f %9ld KB %s\n", name, r.seconds, r.seconds > 0 ? mb / r.seconds : 0.0,
                    r.max_rss_kb, r.message);
    };
    line("baseline splitter", base, size_mb);
    line("crm::csv utf-8", utf8, size_mb);
    line("crm::csv cp932", cp932, static_cast<double>(std::filesystem::file_size(s)) / 1e6);
    line("crm::csv utf-8, N/4", quarter, static_cast<double>(std::filesystem::file_size(uq)) / 1e6);
    std::printf("  ratio crm utf-8 / baseline: %.2fx the time; cp932: %.2fx\n",
                base.seconds > 0 ? utf8.seconds / base.seconds : 0.0, base.seconds > 0 ? cp932.seconds / base.seconds : 0.0);
    std::printf("  peak RSS at N vs N/4: %ld KB vs %ld KB\n", utf8.max_rss_kb, quarter.max_rss_kb);
    bool agree = base.records == static_cast<long long>(n) + 1 && utf8.records == base.records &&
                 cp932.records == base.records && std::string(utf8.message) == base.message &&
                 std::string(cp932.message) == base.message;
    if (!agree) {
        std::fprintf(stderr, "results disagree: rows %lld / %lld / %lld, checksums %s / %s / %s\n", base.records,
                     utf8.records, cp932.records, base.message, utf8.message, cp932.message);
        return 1;
    }
    return 0;
}
