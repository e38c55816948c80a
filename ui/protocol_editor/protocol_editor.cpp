// ProtocolEditor: edits a run protocol as a tree with a form per step, undo/redo, live validation and totals.
#include "ui/protocol_editor/protocol_editor.h"

#include "core/protocol/protocol_reader.h"
#include "core/protocol/protocol_writer.h"
#include "core/timing/frame_plan.h"
#include "ui/protocol_editor/protocol_command.h"
#include "ui/protocol_editor/protocol_tree_model.h"
#include "ui/protocol_editor/step_form.h"

#include <QAction>
#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScroller>
#include <QSplitter>
#include <QStyle>
#include <QTreeView>
#include <QUndoStack>
#include <QVBoxLayout>

#include <cmath>

namespace scopesync::ui {

using core::protocol::Flash;
using core::protocol::Step;
using core::protocol::StepKind;

namespace {

constexpr int kPathRole = Qt::UserRole + 1;

QPushButton *touchButton(const QString &text, QWidget *parent)
{
    auto *button = new QPushButton(text, parent);
    button->setMinimumHeight(ProtocolEditor::kTouchHeightPx);
    return button;
}

QString durationText(double seconds)
{
    const qint64 secs = qint64(std::llround(seconds));
    return QStringLiteral("%1:%2:%3")
        .arg(secs / 3600)
        .arg((secs / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(secs % 60, 2, 10, QLatin1Char('0'));
}

}  // namespace

ProtocolEditor::ProtocolEditor(QWidget *parent) : QWidget(parent)
{
    m_model = new ProtocolTreeModel(this);
    m_undo = new QUndoStack(this);

    m_tree = new QTreeView(this);
    m_tree->setModel(m_model);
    m_tree->setHeaderHidden(false);
    m_tree->header()->setSectionResizeMode(ProtocolTreeModel::LabelColumn, QHeaderView::ResizeToContents);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setDragDropMode(QAbstractItemView::InternalMove);
    m_tree->setDefaultDropAction(Qt::MoveAction);
    m_tree->setDragEnabled(true);
    m_tree->setAcceptDrops(true);
    m_tree->setDropIndicatorShown(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setStyleSheet(QStringLiteral("QTreeView::item { min-height: %1px; }").arg(kTouchHeightPx - 8));
    // Flicking scrolls on the touchscreen; a mouse still drags steps to reorder them.
    QScroller::grabGesture(m_tree->viewport(), QScroller::TouchGesture);

    m_add = touchButton(tr("Add…"), this);
    auto *addMenu = new QMenu(m_add);
    for (const StepKind kind :
        {StepKind::Group, StepKind::Image, StepKind::Wait, StepKind::SetTemperature, StepKind::Illuminate}) {
        QAction *action = addMenu->addAction(ProtocolTreeModel::kindName(kind));
        connect(action, &QAction::triggered, this, [this, kind] { addStep(kind); });
        m_addActions.append(action);
    }
    m_add->setMenu(addMenu);
    m_duplicate = touchButton(tr("Duplicate"), this);
    m_remove = touchButton(tr("Remove"), this);
    m_up = touchButton(tr("Up"), this);
    m_down = touchButton(tr("Down"), this);
    m_undoButton = touchButton(tr("Undo"), this);
    m_redoButton = touchButton(tr("Redo"), this);
    auto *open = touchButton(tr("Open…"), this);
    auto *import454 = touchButton(tr("Import 454…"), this);
    auto *save = touchButton(tr("Save…"), this);
    connect(m_duplicate, &QPushButton::clicked, this, &ProtocolEditor::duplicateSelected);
    connect(m_remove, &QPushButton::clicked, this, &ProtocolEditor::removeSelected);
    connect(m_up, &QPushButton::clicked, this, [this] { moveSelected(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveSelected(+1); });
    connect(m_undoButton, &QPushButton::clicked, m_undo, &QUndoStack::undo);
    connect(m_redoButton, &QPushButton::clicked, m_undo, &QUndoStack::redo);
    connect(open, &QPushButton::clicked, this, [this] { openFile(false); });
    connect(import454, &QPushButton::clicked, this, [this] { openFile(true); });
    connect(save, &QPushButton::clicked, this, &ProtocolEditor::saveAs);

    // Keyboard shortcuts for the desktop; the buttons serve the touchscreen.
    QAction *undoAction = m_undo->createUndoAction(this, tr("Undo"));
    undoAction->setShortcut(QKeySequence::Undo);
    QAction *redoAction = m_undo->createRedoAction(this, tr("Redo"));
    redoAction->setShortcut(QKeySequence::Redo);
    auto *deleteAction = new QAction(tr("Remove step"), this);
    deleteAction->setShortcut(QKeySequence::Delete);
    connect(deleteAction, &QAction::triggered, this, &ProtocolEditor::removeSelected);
    for (QAction *a : {undoAction, redoAction, deleteAction}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        QWidget::addAction(a);
    }

    auto *fileRow = new QHBoxLayout;
    for (QPushButton *b : {open, import454, save, m_undoButton, m_redoButton})
        fileRow->addWidget(b);
    auto *editRow = new QHBoxLayout;
    for (QPushButton *b : {m_add, m_duplicate, m_remove, m_up, m_down})
        editRow->addWidget(b);

    m_problems = new QListWidget(this);
    m_problems->setWordWrap(true);
    m_problems->setMinimumHeight(kTouchHeightPx * 2);
    QScroller::grabGesture(m_problems->viewport(), QScroller::TouchGesture);
    connect(m_problems, &QListWidget::itemClicked, this, [this](QListWidgetItem *item) {
        const QVariant path = item->data(kPathRole);
        if (path.isValid())
            selectPath(path.value<StepPath>());
    });

    m_totals = new QLabel(this);
    m_totals->setWordWrap(true);
    QFont bold = m_totals->font();
    bold.setBold(true);
    m_totals->setFont(bold);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);

    auto *treeSplit = new QSplitter(Qt::Vertical, this);
    treeSplit->addWidget(m_tree);
    treeSplit->addWidget(m_problems);
    treeSplit->setStretchFactor(0, 3);
    treeSplit->setStretchFactor(1, 1);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(fileRow);
    leftLayout->addLayout(editRow);
    leftLayout->addWidget(treeSplit, 1);
    leftLayout->addWidget(m_totals);
    leftLayout->addWidget(m_status);

    m_form = new StepForm(this);
    auto *formScroll = new QScrollArea(this);
    formScroll->setWidgetResizable(true);
    formScroll->setWidget(m_form);
    QScroller::grabGesture(formScroll->viewport(), QScroller::TouchGesture);

    m_split = new QSplitter(Qt::Horizontal, this);
    m_split->setChildrenCollapsible(false);
    m_split->addWidget(left);
    m_split->addWidget(formScroll);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_split);

    connect(m_form, &StepForm::edited, this, &ProtocolEditor::onFormEdited);
    connect(m_model, &ProtocolTreeModel::moveRequested, this, &ProtocolEditor::moveStep);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        updateForm();
        updateButtons();
    });
    connect(m_undo, &QUndoStack::indexChanged, this, &ProtocolEditor::refresh);

    refresh();
}

ProtocolEditor::~ProtocolEditor()
{
    // The stack clears itself when destroyed and would call refresh() on a half-destroyed editor.
    disconnect(m_undo, nullptr, this, nullptr);
}

QAction *ProtocolEditor::addAction(StepKind kind) const
{
    return m_addActions.value(int(kind));
}

void ProtocolEditor::setRigLeds(const QStringList &leds)
{
    m_rigLeds = leds;
    m_form->setLeds(leds);
    updateForm();
    revalidate();
}

void ProtocolEditor::setValidationContext(const core::protocol::ValidationContext &context)
{
    m_context = context;
    if (!m_rigLeds)
        m_form->setLeds(context.leds);
    revalidate();
}

core::protocol::Protocol ProtocolEditor::protocol() const
{
    return m_model->protocol();
}

void ProtocolEditor::setProtocol(const core::protocol::Protocol &protocol)
{
    m_model->setProtocol(protocol);
    m_undo->clear();
    m_tree->expandAll();
    refresh();
}

bool ProtocolEditor::loadFile(const QString &path)
{
    core::protocol::ReadResult read = core::protocol::ProtocolReader::readFile(path);
    if (!read.protocol) {
        // Nothing readable: keep what is in the editor, show why the file was refused.
        m_readerDiagnostics = read.diagnostics;
        revalidate();
        setStatus(tr("Could not open %1; the problems are listed above.").arg(QFileInfo(path).fileName()));
        return false;
    }
    m_readerDiagnostics = read.diagnostics;
    const bool imported = !path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)
        || path.endsWith(QLatin1String(".454sp.json"), Qt::CaseInsensitive);
    // An imported 454 file is saved as a new native file, never over the original.
    m_fileName = imported ? QString() : path;
    setProtocol(*read.protocol);
    setStatus(read.diagnostics.hasErrors()
            ? tr("Opened %1 with errors: the parts that could not be read are left out.")
                  .arg(QFileInfo(path).fileName())
            : tr("Opened %1.").arg(QFileInfo(path).fileName()));
    return true;
}

bool ProtocolEditor::saveFile(const QString &path)
{
    if (path.endsWith(QLatin1String(".454sp.json"), Qt::CaseInsensitive)) {
        setStatus(tr("Not saved: ScopeSync saves its own format; choose a name ending in .json without "
                     ".454sp, so the file is not mistaken for a 454 protocol."));
        return false;
    }
    const core::Status written = core::protocol::ProtocolWriter::writeFile(protocol(), path);
    if (!written.ok()) {
        setStatus(tr("Not saved: %1").arg(written.error().toString()));
        return false;
    }
    m_fileName = path;
    m_readerDiagnostics = {};  // the file now holds exactly what the editor shows
    m_undo->setClean();
    revalidate();
    setStatus(tr("Saved %1.").arg(QFileInfo(path).fileName()));
    return true;
}

void ProtocolEditor::openFile(bool import454)
{
    const QString filter = import454 ? tr("454 Bio protocols (*.454sp.json)") : tr("Protocols (*.json)");
    const QString path
        = QFileDialog::getOpenFileName(this, import454 ? tr("Import a 454 protocol") : tr("Open a protocol"),
            QFileInfo(m_fileName).absolutePath(), filter);
    if (!path.isEmpty())
        loadFile(path);
}

void ProtocolEditor::saveAs()
{
    const QString path
        = QFileDialog::getSaveFileName(this, tr("Save the protocol"), m_fileName, tr("Protocols (*.json)"));
    if (!path.isEmpty())
        saveFile(path);
}

void ProtocolEditor::highlightStep(const QString &stepPath)
{
    std::optional<StepPath> path;
    if (!stepPath.isEmpty()) {
        path = stepPathFromJson(stepPath);
        if (!path || !m_model->contains(*path))
            path = m_model->findBySourcePath(stepPath);
    }
    m_model->setHighlighted(path);
    if (path)
        m_tree->scrollTo(m_model->indexForPath(*path));
}

std::optional<StepPath> ProtocolEditor::selectedPath() const
{
    const QModelIndex current = m_tree->selectionModel()->currentIndex();
    if (!current.isValid())
        return std::nullopt;
    return m_model->pathForIndex(current);
}

void ProtocolEditor::selectPath(const StepPath &path)
{
    const QModelIndex index = m_model->indexForPath(path);
    if (!index.isValid())
        return;
    m_tree->scrollTo(index);
    m_tree->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

Step ProtocolEditor::newStep(StepKind kind) const
{
    Step step;
    step.kind = kind;
    const QStringList leds = m_rigLeds.value_or(m_context.leds);
    Flash flash;
    flash.led = leds.isEmpty() ? QStringLiteral("red") : leds.first();
    switch (kind) {
    case StepKind::Group: step.iterations = 1; break;
    case StepKind::Image:
        flash.duration = std::chrono::milliseconds(50);
        step.flashes.push_back(flash);
        break;
    case StepKind::Wait: step.duration = std::chrono::minutes(1); break;
    case StepKind::SetTemperature: step.temperatureKelvin = 298.15; break;
    case StepKind::Illuminate:
        step.duration = std::chrono::seconds(1);
        flash.duration = step.duration;
        step.flashes.push_back(flash);
        break;
    }
    return step;
}

void ProtocolEditor::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitSplitToWidth();
}

void ProtocolEditor::fitSplitToWidth()
{
    if (!m_split || m_split->count() < 2)
        return;
    int sideBySide = m_split->handleWidth();
    for (int i = 0; i < m_split->count(); ++i)
        sideBySide += m_split->widget(i)->minimumSizeHint().width();
    // Some slack so that a width near the limit does not flip the layout back and forth.
    constexpr int kSlackPx = 40;
    const Qt::Orientation wanted = m_split->orientation() == Qt::Horizontal
        ? (width() < sideBySide + kSlackPx / 2 ? Qt::Vertical : Qt::Horizontal)
        : (width() >= sideBySide + kSlackPx ? Qt::Horizontal : Qt::Vertical);
    if (wanted != m_split->orientation())
        m_split->setOrientation(wanted);
}

void ProtocolEditor::addStep(StepKind kind)
{
    StepPath parent;
    int row = m_model->childCount({});
    if (const auto selected = selectedPath()) {
        // Into a selected group (at its end); otherwise right after the selected step.
        if (m_model->step(*selected).kind == StepKind::Group) {
            parent = *selected;
            row = m_model->childCount(parent);
        } else {
            parent = selected->mid(0, selected->size() - 1);
            row = selected->last() + 1;
        }
    }
    auto *command = ProtocolCommand::insert(
        m_model, parent, row, newStep(kind), tr("Add %1").arg(ProtocolTreeModel::kindName(kind)));
    const StepPath target = command->pathAfterRedo();
    m_undo->push(command);
    m_tree->expand(m_model->indexForPath(parent));
    selectPath(target);
}

void ProtocolEditor::removeSelected()
{
    const auto selected = selectedPath();
    if (!selected)
        return;
    m_undo->push(ProtocolCommand::remove(m_model, *selected, tr("Remove step")));
    // Select the neighbour, so repeated taps keep removing without reselecting.
    StepPath next = *selected;
    const StepPath parent = selected->mid(0, selected->size() - 1);
    if (next.last() >= m_model->childCount(parent))
        --next.last();
    if (next.last() >= 0)
        selectPath(next);
    else if (!parent.isEmpty())
        selectPath(parent);
}

void ProtocolEditor::duplicateSelected()
{
    const auto selected = selectedPath();
    if (!selected)
        return;
    Step copy = m_model->step(*selected);
    // The copy was never read from a file: the reader's messages belong to the original.
    std::vector<Step *> stack {&copy};
    while (!stack.empty()) {
        Step *s = stack.back();
        stack.pop_back();
        s->sourcePath.clear();
        for (Flash &f : s->flashes)
            f.sourcePath.clear();
        for (Step &child : s->children)
            stack.push_back(&child);
    }
    const StepPath parent = selected->mid(0, selected->size() - 1);
    auto *command
        = ProtocolCommand::insert(m_model, parent, selected->last() + 1, copy, tr("Duplicate step"));
    const StepPath target = command->pathAfterRedo();
    m_undo->push(command);
    selectPath(target);
}

void ProtocolEditor::moveSelected(int delta)
{
    const auto selected = selectedPath();
    if (!selected)
        return;
    const StepPath parent = selected->mid(0, selected->size() - 1);
    const int row = selected->last();
    const int to = row + delta;
    if (to < 0 || to >= m_model->childCount(parent))
        return;
    // moveStep takes the row before the move: past the next sibling means row + 2.
    moveStep(*selected, parent, delta > 0 ? row + 2 : to);
}

void ProtocolEditor::moveStep(const StepPath &from, const StepPath &toParent, int toRow)
{
    auto *command = ProtocolCommand::move(m_model, from, toParent, toRow, tr("Move step"));
    const StepPath target = command->pathAfterRedo();
    if (target == from) {
        delete command;
        return;
    }
    m_undo->push(command);
    m_tree->expand(m_model->indexForPath(target.mid(0, target.size() - 1)));
    selectPath(target);
}

void ProtocolEditor::onFormEdited(const Step &fields, const QString &field)
{
    const auto selected = selectedPath();
    if (!selected)
        return;
    Step before = m_model->step(*selected);
    before.children.clear();
    Step after = fields;
    after.children.clear();
    if (before == after)
        return;
    m_undo->push(ProtocolCommand::edit(
        m_model, *selected, fields, field, tr("Edit %1").arg(ProtocolTreeModel::kindName(fields.kind))));
}

void ProtocolEditor::refresh()
{
    revalidate();
    updateForm();
    updateButtons();
    Q_EMIT protocolChanged();
}

std::optional<StepPath> ProtocolEditor::stepForReaderPath(const QString &path) const
{
    // The reader reports at the path it read: the step whose file path is the longest prefix of it.
    std::optional<StepPath> best;
    qsizetype bestLength = -1;
    for (const auto &[source, stepPath] : m_model->sourcePaths()) {
        if (!path.startsWith(source) || source.size() <= bestLength)
            continue;
        if (path.size() > source.size() && path.at(source.size()) != u'.' && path.at(source.size()) != u'[')
            continue;
        best = stepPath;
        bestLength = source.size();
    }
    return best;
}

void ProtocolEditor::revalidate()
{
    core::protocol::ValidationContext context = m_context;
    if (m_rigLeds)
        context.leds = *m_rigLeds;
    const core::protocol::Protocol p = protocol();
    const core::Diagnostics validated = core::protocol::validateProtocol(p, context);

    m_diagnostics = {};
    m_problems->clear();
    QMap<StepPath, StepProblems> byStep;
    const auto add = [&](const core::Diagnostic &d, const std::optional<StepPath> &step, bool fromFile) {
        if (d.severity == core::Severity::Error)
            m_diagnostics.error(d.path, d.message);
        else
            m_diagnostics.warning(d.path, d.message);
        QString where;
        if (step && m_model->contains(*step)) {
            (d.severity == core::Severity::Error ? byStep[*step].errors : byStep[*step].warnings)
                .append(d.message);
            where = m_model->data(m_model->indexForPath(*step)).toString();
        } else {
            where = d.path;
        }
        const QString text = fromFile ? tr("%1 (in the file): %2").arg(where, d.message)
                                      : tr("%1: %2").arg(where, d.message);
        auto *item = new QListWidgetItem(
            style()->standardIcon(d.severity == core::Severity::Error ? QStyle::SP_MessageBoxCritical
                                                                      : QStyle::SP_MessageBoxWarning),
            text, m_problems);
        if (step && m_model->contains(*step))
            item->setData(kPathRole, QVariant::fromValue(*step));
    };
    for (const core::Diagnostic &d : m_readerDiagnostics.all())
        add(d, stepForReaderPath(d.path), true);
    for (const core::Diagnostic &d : validated.all())
        add(d, stepPathFromJson(d.path), false);
    m_model->setProblems(byStep);
    if (m_problems->count() == 0)
        new QListWidgetItem(tr("No problems found."), m_problems);

    const core::timing::PlanSummary summary = core::timing::summarize(p, context.planTiming);
    QString totals
        = tr("%1 images · about %2").arg(summary.frames).arg(durationText(summary.estimatedDuration.count()));
    if (summary.temperatureSteps)
        totals += tr(" plus heating time");
    m_totals->setText(totals);
}

void ProtocolEditor::updateForm()
{
    const auto selected = selectedPath();
    if (!selected || !m_model->contains(*selected)) {
        m_form->clearStep();
        return;
    }
    m_form->setStep(m_model->step(*selected));
}

void ProtocolEditor::updateButtons()
{
    const auto selected = selectedPath();
    const bool any = selected.has_value();
    m_remove->setEnabled(any);
    m_duplicate->setEnabled(any);
    const int siblings = any ? m_model->childCount(selected->mid(0, selected->size() - 1)) : 0;
    m_up->setEnabled(any && selected->last() > 0);
    m_down->setEnabled(any && selected->last() + 1 < siblings);
    m_undoButton->setEnabled(m_undo->canUndo());
    m_redoButton->setEnabled(m_undo->canRedo());
}

void ProtocolEditor::setStatus(const QString &text)
{
    m_status->setText(text);
}

QString ProtocolEditor::totalsText() const
{
    return m_totals->text();
}

QString ProtocolEditor::statusText() const
{
    return m_status->text();
}

}  // namespace scopesync::ui
