// Replays fuzz inputs without libFuzzer: the main() of the fuzz targets in
// ordinary builds, so each seed corpus and every saved crash runs under ctest
// (fuzz.<target>.replay), with g++ as with clang, with or without sanitizers.
//
//   replay_<target> PATH...   each PATH is a file or a directory of files
//
// Every file is passed to LLVMFuzzerTestOneInput once, in name order. A failed
// check in the target aborts (and so fails the test); otherwise this prints how
// many inputs ran and exits 0. No inputs at all is an error: a moved corpus
// must not pass silently.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace fs = std::filesystem;

int main(int argc, char** argv) {
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        const fs::path p(argv[i]);
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            for (const auto& e : fs::directory_iterator(p))
                if (e.is_regular_file() && e.path().filename().string().front() != '.') files.push_back(e.path());
        } else if (fs::is_regular_file(p, ec)) {
            files.push_back(p);
        } else if (!fs::exists(p, ec)) {
            std::fprintf(stderr, "replay: %s does not exist (skipped)\n", argv[i]);
        }
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        std::fprintf(stderr, "replay: no inputs\n");
        return 1;
    }
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        if (!in) {
            std::fprintf(stderr, "replay: cannot read %s\n", f.string().c_str());
            return 1;
        }
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::fprintf(stderr, "replay: %s (%zu bytes)\n", f.string().c_str(), bytes.size());
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    }
    std::printf("replay: %zu inputs, no failed check\n", files.size());
    return 0;
}
