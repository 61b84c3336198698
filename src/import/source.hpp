// Private: the sources of imported rows (source.cpp) and the stream buffer that hashes
// and counts the input's bytes as they are read.
#pragma once

#include <istream>
#include <streambuf>
#include <vector>

#include "documents/sha256.hpp"
#include "import/import_internal.hpp"

namespace crm::import::impl {

class HashingBuf : public std::streambuf {
public:
    explicit HashingBuf(std::streambuf* src);
    std::uint64_t bytes() const noexcept { return bytes_; }
    // Reads the rest of the input and returns the SHA-256 of all of it.
    std::string finish_hash();

protected:
    int_type underflow() override;

private:
    std::streambuf* src_;
    std::vector<char> buf_;
    Sha256 hash_;
    std::uint64_t bytes_ = 0;
};

class Source {
public:
    virtual ~Source() = default;
    // The columns' names (a CSV header; JSON lines: the keys the rules read).
    virtual result<std::vector<std::string>> columns() = 0;
    // The next row; false at the end. An error stops the import (the input cannot be read on).
    virtual result<bool> next(Row& row) = 0;
    // The input's encoding (after columns()): the reject file is written in it.
    virtual csv::Encoding encoding() const { return csv::Encoding::utf8; }
};

class CsvSource final : public Source {
public:
    CsvSource(std::istream& in, const csv::ReadOptions& o);
    result<std::vector<std::string>> columns() override;
    result<bool> next(Row& row) override;
    csv::Encoding encoding() const override { return reader_.encoding(); }

private:
    csv::Reader reader_;
    csv::Record rec_;
};

class JsonlSource final : public Source {
public:
    JsonlSource(std::istream& in, std::vector<std::string> columns, std::size_t max_line);
    result<std::vector<std::string>> columns() override;
    result<bool> next(Row& row) override;

private:
    std::istream& in_;
    std::vector<std::string> columns_;
    std::size_t max_line_;
    std::uint64_t line_no_ = 0;
};

}  // namespace crm::import::impl
