// Test helpers: temporary directories, a controllable clock, and a logical dump
// of every table so a test can prove that a failed call left the data unchanged.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "crm/crm.hpp"

namespace testing {

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        static std::atomic<int> n{0};
        std::random_device rd;
        path = std::filesystem::temp_directory_path() /
               ("crm-test-" + std::to_string(rd()) + "-" + std::to_string(n++));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

// Every row of every table, in a deterministic order, as text.
inline std::string dump(const std::string& db_path) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    std::ostringstream out;
    std::vector<std::string> tables;
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE type='table' ORDER BY name", -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    for (const auto& t : tables) {
        out << "== " << t << "\n";
        // Table names come from sqlite_schema, not from user input.
        std::string sql = "SELECT * FROM \"" + t + "\" ORDER BY 1, 2";
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) continue;
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(st); ++i) {
                const unsigned char* v = sqlite3_column_text(st, i);
                out << (v ? reinterpret_cast<const char*>(v) : "NULL") << "|";
            }
            out << "\n";
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return out.str();
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A clock that tests move by hand.
struct FakeClock {
    std::shared_ptr<crm::Timestamp> now = std::make_shared<crm::Timestamp>(1'700'000'000'000);
    void install(crm::Db& db) const {
        auto p = now;
        db.set_clock([p] { return *p; });
    }
    void advance(crm::Timestamp ms) const { *now += ms; }
};

inline crm::Contact contact(const std::string& name, const std::string& email = {}) {
    crm::Contact c;
    c.name = name;
    if (!email.empty()) c.emails.push_back({email, "work", false});
    return c;
}

}  // namespace testing
