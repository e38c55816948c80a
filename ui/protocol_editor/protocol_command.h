// ProtocolCommand: one undoable edit of the protocol tree (insert, remove, move, change a step's fields).
#pragma once

#include "core/protocol/protocol.h"
#include "ui/protocol_editor/step_path.h"

#include <QUndoCommand>

namespace scopesync::ui {

class ProtocolTreeModel;

// Paths are valid in the state the command runs in; the undo stack's order guarantees that state.
class ProtocolCommand : public QUndoCommand {
public:
    static ProtocolCommand *insert(ProtocolTreeModel *model, const StepPath &parent, int row,
        const core::protocol::Step &step, const QString &text);
    static ProtocolCommand *remove(ProtocolTreeModel *model, const StepPath &path, const QString &text);
    // `toParent` and `toRow` are given before the move, as a drop reports them.
    static ProtocolCommand *move(ProtocolTreeModel *model, const StepPath &from, const StepPath &toParent,
        int toRow, const QString &text);
    // Consecutive edits of the same field of the same step merge into one undo step (typing a label).
    static ProtocolCommand *edit(ProtocolTreeModel *model, const StepPath &path,
        const core::protocol::Step &after, const QString &field, const QString &text);

    void redo() override;
    void undo() override;
    int id() const override { return m_kind == Kind::Edit ? 1 : -1; }
    bool mergeWith(const QUndoCommand *other) override;

    // Where the step the command acted on is after redo() (after undo(): `m_path`).
    [[nodiscard]] StepPath pathAfterRedo() const { return m_target; }
    [[nodiscard]] StepPath pathBefore() const { return m_path; }
    [[nodiscard]] bool isRemoval() const { return m_kind == Kind::Remove; }
    [[nodiscard]] bool isInsertion() const { return m_kind == Kind::Insert; }

private:
    enum class Kind { Insert, Remove, Move, Edit };
    ProtocolCommand(Kind kind, ProtocolTreeModel *model, const QString &text);

    Kind m_kind;
    ProtocolTreeModel *m_model;
    StepPath m_path;  // Remove, Move, Edit: the step before redo(); Insert: where it is inserted
    StepPath m_target;  // where the step is after redo()
    core::protocol::Step m_step;  // Insert/Remove: the step with children; Edit: fields before
    core::protocol::Step m_after;  // Edit: fields after
    QString m_field;
};

}  // namespace scopesync::ui
