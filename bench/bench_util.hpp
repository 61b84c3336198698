// Shared by the benchmarks: timing, a scratch directory, running a phase in its
// own process (so each phase's peak RSS is its own), and row counts of a file.
#pragma once

#include "crm/normalize.hpp"

#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

namespace bench {

using Clock = std::chrono::steady_clock;

inline double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Adds up the time spent inside time(); what happens between calls is not counted.
struct Stopwatch {
    Clock::duration total{};
    template <class F>
    decltype(auto) time(F&& f) {
        struct Guard {
            Stopwatch& sw;
            Clock::time_point t0 = Clock::now();
            ~Guard() { sw.total += Clock::now() - t0; }
        } g{*this};
        return f();
    }
    double seconds() const { return bench::seconds(total); }
};

// What a phase reports back to the parent (plain data: it crosses a pipe).
struct PhaseResult {
    double seconds = 0;      // timed work
    double aux_seconds = 0;  // a part of it worth reporting separately (e.g. JSON building)
    long long records = 0;   // records created / read
    long max_rss_kb = 0;     // peak resident set of the phase's process
    int ok = 0;
    char message[256] = {};
};

inline PhaseResult failed(const std::string& why) {
    PhaseResult r;
    std::snprintf(r.message, sizeof r.message, "%s", why.c_str());
    return r;
}

// Runs fn in a child process and returns what it reported plus its peak RSS.
// With isolate == false (for profilers) it runs here and reports this process's peak.
inline PhaseResult run_phase(const std::function<PhaseResult()>& fn, bool isolate) {
    if (!isolate) {
        PhaseResult r = fn();
        rusage ru{};
        getrusage(RUSAGE_SELF, &ru);
        r.max_rss_kb = ru.ru_maxrss;
        return r;
    }
    int fds[2];
    if (pipe(fds) != 0) return failed("pipe() failed");
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid < 0) return failed("fork() failed");
    if (pid == 0) {
        close(fds[0]);
        PhaseResult r = fn();
        const auto written = write(fds[1], &r, sizeof r);
        std::fflush(nullptr);
        _exit(written == static_cast<ssize_t>(sizeof r) ? 0 : 1);
    }
    close(fds[1]);
    PhaseResult r;
    const auto got = read(fds[0], &r, sizeof r);
    close(fds[0]);
    int status = 0;
    rusage ru{};
    wait4(pid, &status, 0, &ru);
    if (got != static_cast<ssize_t>(sizeof r) || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return failed("the phase's process died");
    r.max_rss_kb = ru.ru_maxrss;
    return r;
}

// A scratch directory, removed at exit unless keep is set.
struct ScratchDir {
    std::filesystem::path path;
    bool keep = false;
    explicit ScratchDir(const std::string& given) {
        if (!given.empty()) {
            path = given;
            keep = true;
            std::filesystem::create_directories(path);
            return;
        }
        std::string tmpl = (std::filesystem::temp_directory_path() / "crm-bench-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) {
            std::perror("mkdtemp");
            std::exit(2);
        }
        path = tmpl;
    }
    ~ScratchDir() {
        std::error_code ec;
        if (!keep) std::filesystem::remove_all(path, ec);
    }
    std::string file(const char* name) const { return (path / name).string(); }
};

// The folding the search index stores (docs/search.md), written by hand: NFKC (ICU, as
// crm::normalize::text), hiragana as katakana, ASCII lower case; `spaced` puts a space on
// each side of every character from U+2E80 up (the per-character index).
inline void search_fold(const std::string& text, std::string& folded, std::string& spaced) {
    const std::string t = crm::normalize::text(text);
    folded.clear();
    spaced.clear();
    for (std::size_t i = 0; i < t.size();) {
        const unsigned char c = static_cast<unsigned char>(t[i]);
        const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        std::uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
        for (std::size_t k = 1; k < len && i + k < t.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(t[i + k]) & 0x3F);
        std::string ch = t.substr(i, len);
        if ((cp >= 0x3041 && cp <= 0x3096) || cp == 0x309D || cp == 0x309E) {  // hiragana → katakana (+0x60)
            cp += 0x60;
            ch = {static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
                  static_cast<char>(0x80 | (cp & 0x3F))};
        } else if (cp >= 'A' && cp <= 'Z') {
            ch[0] = static_cast<char>(cp + 32);
        }
        folded += ch;
        if (cp >= 0x2E80) spaced += " " + ch + " ";
        else spaced += ch;
        i += len;
    }
}

// Rows per table of a database file (table names come from sqlite_schema).
inline std::map<std::string, long long> row_counts(const std::string& path) {
    std::map<std::string, long long> out;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return out;
    }
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE type='table' ORDER BY name", -1, &st, nullptr);
    std::vector<std::string> tables;
    while (sqlite3_step(st) == SQLITE_ROW) tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    for (const auto& t : tables) {
        const std::string sql = "SELECT count(*) FROM \"" + t + "\"";
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            out[t] = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return out;
}

}  // namespace bench
