#include <exception>
#include <iostream>

#include "scanner/cli/app.hpp"

int main(int argc, char** argv) {
    try {
        return grundscan::run_app(argc, argv, std::cout, std::cerr);
    } catch (const std::exception& e) {
        std::cerr << "grundscan: internal error: " << e.what() << "\n";
        return grundscan::kExitRuntime;
    }
}
