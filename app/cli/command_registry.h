// The table of subcommands: each command's file registers itself, so main() needs no list.
#pragma once

#include <QString>
#include <QStringList>

#include <functional>
#include <map>

namespace scopesync::app {

struct Command {
    QString summary;
    std::function<int(const QStringList &args)> run;
};

// Name → command, sorted for --help.
std::map<QString, Command> &commandTable();

// A static instance in a command's .cpp adds it to the table at start-up.
struct CommandRegistration {
    CommandRegistration(
        const QString &name, const QString &summary, std::function<int(const QStringList &)> run)
    {
        commandTable()[name] = Command {summary, std::move(run)};
    }
};

}  // namespace scopesync::app
