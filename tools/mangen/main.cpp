// Writes DIR/takeover-NAME.8 for every agent in the registry, from the declarations behind
// meta-data.
#include "registry.h"

#include <fstream>
#include <iostream>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: mangen OUTPUT_DIR\n";
        return 2;
    }
    for (const auto& name : takeover::agents::names()) {
        std::ofstream out(std::string(argv[1]) + "/" + takeover::agent::man_page_name(name) + ".8");
        out << takeover::agent::man_page(*takeover::agents::find(name));
        if (!out) {
            std::cerr << "mangen: cannot write " << name << ".8\n";
            return 1;
        }
    }
    return 0;
}
