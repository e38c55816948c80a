// ProtocolEditor: edits a run protocol as a tree with a form per step, undo/redo, live validation and totals.
#pragma once

#include "core/common/diagnostics.h"
#include "core/protocol/protocol.h"
#include "core/protocol/protocol_validator.h"
#include "ui/protocol_editor/step_path.h"

#include <QStringList>
#include <QWidget>

#include <optional>

class QAction;
class QLabel;
class QListWidget;
class QPushButton;
class QSplitter;
class QTreeView;
class QUndoStack;

namespace scopesync::ui {

class ProtocolTreeModel;
class StepForm;

class ProtocolEditor : public QWidget {
    Q_OBJECT

public:
    static constexpr int kTouchHeightPx = 48;

    explicit ProtocolEditor(QWidget *parent = nullptr);
    ~ProtocolEditor() override;

    // The rig's LED names: offered in the flash table and checked by validation.
    void setRigLeds(const QStringList &leds);
    // Sensor, mode, exposure and plan timing the run will use. The sensor and mode pointers must outlive
    // the editor (SensorCatalog's entries do). Its `leds` are replaced by setRigLeds() when given.
    void setValidationContext(const core::protocol::ValidationContext &context);

    // Each step's sourcePath is its native path in the editor ("$.steps[1].steps[0]"), which is what
    // a run started from this protocol reports as its current step.
    [[nodiscard]] core::protocol::Protocol protocol() const;
    void setProtocol(const core::protocol::Protocol &protocol);
    // Native or .454sp.json; problems appear in the problems list. False when nothing could be loaded.
    bool loadFile(const QString &path);
    bool saveFile(const QString &path);
    [[nodiscard]] QString fileName() const { return m_fileName; }

    // The step a run is executing (a PlanAction::stepPath); empty clears the highlight.
    void highlightStep(const QString &stepPath);

    // State and parts, for the window that hosts the editor and for tests.
    [[nodiscard]] const core::Diagnostics &diagnostics() const { return m_diagnostics; }
    [[nodiscard]] QString totalsText() const;
    [[nodiscard]] QString statusText() const;
    [[nodiscard]] std::optional<StepPath> selectedPath() const;
    void selectPath(const StepPath &path);
    [[nodiscard]] QTreeView *tree() const { return m_tree; }
    [[nodiscard]] ProtocolTreeModel *model() const { return m_model; }
    [[nodiscard]] StepForm *form() const { return m_form; }
    [[nodiscard]] QListWidget *problemList() const { return m_problems; }
    [[nodiscard]] QUndoStack *undoStack() const { return m_undo; }
    [[nodiscard]] QAction *addAction(core::protocol::StepKind kind) const;
    [[nodiscard]] QPushButton *removeButton() const { return m_remove; }
    [[nodiscard]] QPushButton *duplicateButton() const { return m_duplicate; }
    [[nodiscard]] QPushButton *upButton() const { return m_up; }
    [[nodiscard]] QPushButton *downButton() const { return m_down; }
    [[nodiscard]] QPushButton *undoButton() const { return m_undoButton; }
    [[nodiscard]] QPushButton *redoButton() const { return m_redoButton; }

Q_SIGNALS:
    void protocolChanged();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    // Tree and form side by side when the panel is wide enough for both, else the form below the tree:
    // a narrow dock must never hide the form off to the side.
    void fitSplitToWidth();

    void addStep(core::protocol::StepKind kind);
    void removeSelected();
    void duplicateSelected();
    void moveSelected(int delta);
    void moveStep(const StepPath &from, const StepPath &toParent, int toRow);
    void onFormEdited(const core::protocol::Step &fields, const QString &field);
    void openFile(bool import454);
    void saveAs();
    void refresh();
    void revalidate();
    void updateForm();
    void updateButtons();
    void setStatus(const QString &text);
    [[nodiscard]] core::protocol::Step newStep(core::protocol::StepKind kind) const;
    [[nodiscard]] std::optional<StepPath> stepForReaderPath(const QString &path) const;

    ProtocolTreeModel *m_model = nullptr;
    QUndoStack *m_undo = nullptr;
    QTreeView *m_tree = nullptr;
    StepForm *m_form = nullptr;
    QSplitter *m_split = nullptr;
    QListWidget *m_problems = nullptr;
    QLabel *m_totals = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_duplicate = nullptr;
    QPushButton *m_up = nullptr;
    QPushButton *m_down = nullptr;
    QPushButton *m_undoButton = nullptr;
    QPushButton *m_redoButton = nullptr;
    QList<QAction *> m_addActions;  // indexed by StepKind

    core::protocol::ValidationContext m_context;
    std::optional<QStringList> m_rigLeds;
    core::Diagnostics m_readerDiagnostics;  // of the file as loaded; dropped when it is saved over
    core::Diagnostics m_diagnostics;  // reader + validator, as shown
    QString m_fileName;
};

}  // namespace scopesync::ui
