#include "scanner/core/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace grundscan {

Status write_file_atomic(const std::filesystem::path& path, std::string_view content) {
    std::error_code ec;
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path(), ec);
        if (ec) return Error{"cannot create directory: " + ec.message(), path.parent_path()};
    }
    std::string tmp = path.string() + ".tmp." + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Error{std::string("cannot write: ") + std::strerror(errno), path.string()};
    std::size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            std::string msg = std::strerror(errno);
            ::close(fd);
            ::unlink(tmp.c_str());
            return Error{"cannot write: " + msg, path.string()};
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        ::unlink(tmp.c_str());
        return Error{std::string("cannot write: ") + std::strerror(errno), path.string()};
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        std::string msg = std::strerror(errno);
        ::unlink(tmp.c_str());
        return Error{"cannot replace file: " + msg, path.string()};
    }
    return Ok{};
}

}  // namespace grundscan
