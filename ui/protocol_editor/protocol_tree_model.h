// ProtocolTreeModel: the protocol's steps as an item tree (groups hold steps), with validation markers.
#pragma once

#include "core/protocol/protocol.h"
#include "ui/protocol_editor/step_path.h"

#include <QAbstractItemModel>
#include <QMap>
#include <QStringList>

#include <memory>
#include <vector>

namespace scopesync::ui {

// Problems shown on one step (validator and reader messages that point at it or at its flashes).
struct StepProblems {
    QStringList errors;
    QStringList warnings;
};

// Each step is a node with a stable address, so model indexes survive inserts elsewhere in the tree.
// Edits go through the mutating functions below (called by ProtocolCommand, so each is undoable);
// a drop is only reported (moveRequested), for the editor to turn into a command.
class ProtocolTreeModel : public QAbstractItemModel {
    Q_OBJECT

public:
    enum Column { LabelColumn, DetailColumn, ColumnCount };
    static constexpr auto kMimeType = "application/x-scopesync-step-path";

    explicit ProtocolTreeModel(QObject *parent = nullptr);
    ~ProtocolTreeModel() override;

    void setProtocol(const core::protocol::Protocol &protocol);
    // Every step's and flash's sourcePath is its native path in this tree ("$.steps[1].flashes[0]"),
    // so validation messages and run progress point back here.
    [[nodiscard]] core::protocol::Protocol protocol() const;

    [[nodiscard]] QString name() const { return m_name; }
    [[nodiscard]] QString description() const { return m_description; }
    void setNameAndDescription(const QString &name, const QString &description);

    [[nodiscard]] QModelIndex indexForPath(const StepPath &path) const;
    [[nodiscard]] StepPath pathForIndex(const QModelIndex &index) const;
    [[nodiscard]] bool contains(const StepPath &path) const;
    [[nodiscard]] int childCount(const StepPath &parentPath) const;
    // The step with its children; sourcePath is the one it was read with (empty for new steps).
    [[nodiscard]] core::protocol::Step step(const StepPath &path) const;
    // The step as the file had it: where the reader's messages about it point.
    [[nodiscard]] std::optional<StepPath> findBySourcePath(const QString &sourcePath) const;
    [[nodiscard]] std::vector<std::pair<QString, StepPath>> sourcePaths() const;

    void insertStep(const StepPath &parentPath, int row, const core::protocol::Step &step);
    core::protocol::Step takeStep(const StepPath &path);
    // Replaces the step's own fields; its children stay.
    void setStepFields(const StepPath &path, const core::protocol::Step &fields);

    void setProblems(const QMap<StepPath, StepProblems> &problems);
    [[nodiscard]] StepProblems problems(const StepPath &path) const;
    void setHighlighted(const std::optional<StepPath> &path);

    // "red 50 ms, green 150 ms": the details column.
    static QString describe(const core::protocol::Step &step);
    static QString kindName(core::protocol::StepKind kind);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    Qt::DropActions supportedDropActions() const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    bool canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
        const QModelIndex &parent) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
        const QModelIndex &parent) override;

Q_SIGNALS:
    // A step was dropped: take it from `from` and insert it at `toRow` of `toParent`, both as they are
    // before the move.
    void moveRequested(const StepPath &from, const StepPath &toParent, int toRow);

private:
    struct Node {
        Node *parent = nullptr;
        core::protocol::Step step;  // children live in `children`, not in step.children
        std::vector<std::unique_ptr<Node>> children;
        StepProblems problems;
    };

    static std::unique_ptr<Node> build(const core::protocol::Step &step, Node *parent);
    static core::protocol::Step flatten(const Node &node, const QString &path, bool nativePaths);
    Node *nodeAt(const StepPath &path) const;
    Node *nodeFor(const QModelIndex &index) const;
    StepPath pathOf(const Node *node) const;
    int rowOf(const Node *node) const;
    std::optional<StepPath> decodeDrop(const QMimeData *data, const QModelIndex &parent, int &row) const;

    Node m_root;  // the protocol's top-level steps are its children
    QString m_name;
    QString m_description;
    const Node *m_highlighted = nullptr;
};

}  // namespace scopesync::ui
