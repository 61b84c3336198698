// Private: SHA-256 (FIPS 180-4) of stored document content.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace crm {

class Sha256 {
public:
    Sha256() noexcept;
    void update(const void* data, std::size_t size) noexcept;
    std::string hex_digest() noexcept;  // finishes; 64 lower-case hex digits
private:
    std::uint32_t h_[8];
    unsigned char buf_[64];
    std::uint64_t len_ = 0;
    std::size_t fill_ = 0;
    void block(const unsigned char* p) noexcept;
};
std::string sha256_hex(const void* data, std::size_t size) noexcept;


}  // namespace crm
