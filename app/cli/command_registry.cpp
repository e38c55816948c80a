// The table of subcommands: each command's file registers itself, so main() needs no list.
#include "app/cli/command_registry.h"

namespace scopesync::app {

std::map<QString, Command> &commandTable()
{
    // A function-local static: initialised on first use, whatever the order of the registrations.
    static std::map<QString, Command> table;
    return table;
}

}  // namespace scopesync::app
