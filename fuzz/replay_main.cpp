// Replays fuzz inputs without libFuzzer: the main() of the fuzz targets in
// ordinary builds, so each seed corpus and every saved crash runs under ctest
// (fuzz.<target>.replay), with g++ as with clang, with or without sanitizers.
//
//   replay_<target> PATH...          each PATH is a file or a directory of files
//   replay_<target> --open PATH...   reproducers of open findings (fuzz/open/)
//
// Every file is passed to LLVMFuzzerTestOneInput once, in name order. A failed
// check in the target aborts (and so fails the test); otherwise this prints how
// many inputs ran and exits 0. No inputs at all is an error: a moved corpus
// must not pass silently.
//
// With --open each file runs in a child process and must still fail there
// (a failed check, a sanitizer report, a crash): the finding is not fixed yet.
// One that passes fails the test, so whoever fixes the library is told to move
// the file to fuzz/regressions/<target>/, where it then guards the fix.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace fs = std::filesystem;

namespace {

bool read_file(const fs::path& f, std::string& bytes) {
    std::ifstream in(f, std::ios::binary);
    if (!in) return false;
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return true;
}

void run(const std::string& bytes) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

// True if the input still fails: run in a child, which must not exit with 0.
bool still_fails(const std::string& bytes) {
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid < 0) {
        std::perror("replay: fork");
        return false;
    }
    if (pid == 0) {
        run(bytes);
        std::fflush(nullptr);
        _exit(0);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
    }
    return !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

}  // namespace

int main(int argc, char** argv) {
    bool open = false;
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--open") == 0) {
            open = true;
            continue;
        }
        const fs::path p(argv[i]);
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            for (const auto& e : fs::directory_iterator(p))
                if (e.is_regular_file() && e.path().filename().string().front() != '.') files.push_back(e.path());
        } else if (fs::is_regular_file(p, ec)) {
            files.push_back(p);
        } else {
            std::fprintf(stderr, "replay: %s does not exist (skipped)\n", argv[i]);
        }
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        std::fprintf(stderr, "replay: no inputs\n");
        return 1;
    }
    int fixed = 0;
    for (const auto& f : files) {
        std::string bytes;
        if (!read_file(f, bytes)) {
            std::fprintf(stderr, "replay: cannot read %s\n", f.string().c_str());
            return 1;
        }
        std::fprintf(stderr, "replay: %s (%zu bytes)\n", f.string().c_str(), bytes.size());
        if (!open) {
            run(bytes);
        } else if (!still_fails(bytes)) {
            std::fprintf(stderr,
                         "replay: %s no longer fails: if the finding is fixed, move the file to "
                         "fuzz/regressions/<target>/ and update docs/fuzzing.md\n",
                         f.string().c_str());
            ++fixed;
        }
    }
    if (open) {
        std::printf("replay: %zu open findings, %d of them no longer fail\n", files.size(), fixed);
        return fixed == 0 ? 0 : 1;
    }
    std::printf("replay: %zu inputs, no failed check\n", files.size());
    return 0;
}
