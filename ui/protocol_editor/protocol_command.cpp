// ProtocolCommand: one undoable edit of the protocol tree (insert, remove, move, change a step's fields).
#include "ui/protocol_editor/protocol_command.h"

#include "ui/protocol_editor/protocol_tree_model.h"

namespace scopesync::ui {

namespace {
StepPath parentOf(const StepPath &path)
{
    return path.mid(0, path.size() - 1);
}
}  // namespace

ProtocolCommand::ProtocolCommand(Kind kind, ProtocolTreeModel *model, const QString &text)
    : m_kind(kind), m_model(model)
{
    setText(text);
}

ProtocolCommand *ProtocolCommand::insert(ProtocolTreeModel *model, const StepPath &parent, int row,
    const core::protocol::Step &step, const QString &text)
{
    auto *c = new ProtocolCommand(Kind::Insert, model, text);
    c->m_path = parent + StepPath {row};
    c->m_target = c->m_path;
    c->m_step = step;
    return c;
}

ProtocolCommand *ProtocolCommand::remove(ProtocolTreeModel *model, const StepPath &path, const QString &text)
{
    auto *c = new ProtocolCommand(Kind::Remove, model, text);
    c->m_path = path;
    c->m_target = path;
    return c;
}

ProtocolCommand *ProtocolCommand::move(
    ProtocolTreeModel *model, const StepPath &from, const StepPath &toParent, int toRow, const QString &text)
{
    auto *c = new ProtocolCommand(Kind::Move, model, text);
    c->m_path = from;
    // Positions once `from` is out of the tree: that is where redo() inserts it.
    StepPath parentAfter = pathAfterRemoval(toParent, from).value_or(toParent);
    if (parentOf(from) == toParent && from.last() < toRow)
        --toRow;
    c->m_target = parentAfter + StepPath {toRow};
    return c;
}

ProtocolCommand *ProtocolCommand::edit(ProtocolTreeModel *model, const StepPath &path,
    const core::protocol::Step &after, const QString &field, const QString &text)
{
    auto *c = new ProtocolCommand(Kind::Edit, model, text);
    c->m_path = path;
    c->m_target = path;
    c->m_step = model->step(path);
    c->m_step.children.clear();
    c->m_after = after;
    c->m_after.children.clear();
    c->m_field = field;
    return c;
}

void ProtocolCommand::redo()
{
    switch (m_kind) {
    case Kind::Insert: m_model->insertStep(parentOf(m_path), m_path.last(), m_step); break;
    case Kind::Remove: m_step = m_model->takeStep(m_path); break;
    case Kind::Move: {
        const core::protocol::Step step = m_model->takeStep(m_path);
        m_model->insertStep(parentOf(m_target), m_target.last(), step);
        break;
    }
    case Kind::Edit: m_model->setStepFields(m_path, m_after); break;
    }
}

void ProtocolCommand::undo()
{
    switch (m_kind) {
    case Kind::Insert: m_model->takeStep(m_path); break;
    case Kind::Remove: m_model->insertStep(parentOf(m_path), m_path.last(), m_step); break;
    case Kind::Move: {
        const core::protocol::Step step = m_model->takeStep(m_target);
        m_model->insertStep(parentOf(m_path), m_path.last(), step);
        break;
    }
    case Kind::Edit: m_model->setStepFields(m_path, m_step); break;
    }
}

bool ProtocolCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const ProtocolCommand *>(other);
    if (m_kind != Kind::Edit || o->m_kind != Kind::Edit || o->m_path != m_path || o->m_field != m_field)
        return false;
    m_after = o->m_after;
    return true;
}

}  // namespace scopesync::ui
