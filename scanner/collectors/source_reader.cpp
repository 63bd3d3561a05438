#include <fstream>
#include <sstream>

#include "scanner/collectors/asset_collector.hpp"
#include "scanner/collectors/collector.hpp"

namespace grundscan {

namespace fs = std::filesystem;

Expected<text::Decoded> read_source(const fs::path& path, std::uintmax_t max_bytes) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) return Error{"file not found", path.string()};
    if (!fs::is_regular_file(status)) return Error{"not a regular file", path.string()};
    auto size = fs::file_size(path, ec);
    if (ec) return Error{"cannot read file size: " + ec.message(), path.string()};
    if (size > max_bytes) {
        return Error{"file too large (" + std::to_string(size) + " bytes, limit " +
                         std::to_string(max_bytes) + "): not read",
                     path.string()};
    }
    if (size == 0) return Error{"file is empty", path.string()};
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"cannot open file (permission denied?)", path.string()};
    std::string bytes(static_cast<std::size_t>(size), '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(size));
    if (static_cast<std::uintmax_t>(in.gcount()) != size) {
        return Error{"file changed or could not be read completely", path.string()};
    }
    auto decoded = text::decode(bytes);
    if (!decoded) {
        Error e = decoded.error();
        e.file = path.string();
        return e;
    }
    return decoded;
}

std::string detect_source_type(std::string_view text, std::string_view filename) {
    std::string_view head = text.substr(0, 64 * 1024);
    for (const auto& c : collector_registry()) {
        if (c.detect(head, filename)) return std::string(c.type);
    }
    return {};
}

}  // namespace grundscan
