// GUI tests of the protocol editor: load, edit with clicks, undo/redo, validation markers, totals, save.
#include "core/protocol/protocol_reader.h"
#include "core/timing/frame_plan.h"
#include "core/timing/sensor_catalog.h"
#include "ui/protocol_editor/protocol_editor.h"
#include "ui/protocol_editor/protocol_tree_model.h"
#include "ui/protocol_editor/step_form.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QUndoStack>

using namespace scopesync;
using core::protocol::Protocol;
using core::protocol::StepKind;
using ui::ProtocolEditor;
using ui::StepPath;

namespace {

const QString kImported
    = QStringLiteral(SCOPESYNC_RESOURCES_DIR "/protocols/four_colour_two_cycles.454sp.json");
const QStringList kRigLeds {QStringLiteral("red"), QStringLiteral("orange"), QStringLiteral("green"),
    QStringLiteral("blue"), QStringLiteral("uv")};

Protocol readReference()
{
    const auto read = core::protocol::ProtocolReader::readFile(kImported);
    return read.protocol.value_or(Protocol {});
}

int errorCount(const ProtocolEditor &editor)
{
    return int(editor.diagnostics().errors().size());
}

}  // namespace

class TestProtocolEditor : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ProtocolEditor> m_editor;

    ProtocolEditor &loaded()
    {
        m_editor = std::make_unique<ProtocolEditor>();
        m_editor->setRigLeds(kRigLeds);
        m_editor->resize(1000, 700);
        m_editor->show();
        if (!m_editor->loadFile(kImported))
            qFatal("cannot load %s", qPrintable(kImported));
        return *m_editor;
    }

    void click(QPushButton *button)
    {
        QVERIFY(button->isEnabled());
        QVERIFY(button->minimumHeight() >= ProtocolEditor::kTouchHeightPx);
        QTest::mouseClick(button, Qt::LeftButton);
    }

private Q_SLOTS:
    void cleanup() { m_editor.reset(); }

    void theTreeShowsEachImagesFilter()
    {
        core::protocol::Step image;
        image.kind = core::protocol::StepKind::Image;
        image.flashes = {{QStringLiteral("green"), std::chrono::microseconds(40'000), 1000, {}}};
        image.filter = QStringLiteral("red");
        QVERIFY(ui::ProtocolTreeModel::describe(image).contains(QStringLiteral("through red")));
        image.filter = QStringLiteral("any_filter");  // the wheel stays where it is: nothing to show
        QVERIFY(!ui::ProtocolTreeModel::describe(image).contains(QStringLiteral("through")));
    }

    void loadsTheImportedProtocolAsATree()
    {
        ProtocolEditor &editor = loaded();
        const Protocol reference = readReference();
        QVERIFY(!reference.steps.empty());
        QCOMPARE(editor.protocol(), reference);
        auto *model = editor.model();
        QCOMPARE(model->rowCount(), int(reference.steps.size()));
        QCOMPARE(model->step({0}).kind, StepKind::SetTemperature);
        QCOMPARE(model->step({1}).kind, StepKind::Group);
        QCOMPARE(model->step({1}).iterations, 2);
        const QModelIndex cycle = model->indexForPath({1});
        QCOMPARE(model->rowCount(cycle), int(reference.steps[1].children.size()));
        // Before incorporation: four images, the first red 50 ms.
        QCOMPARE(model->rowCount(model->indexForPath({1, 0})), 4);
        QCOMPARE(model->step({1, 0, 0}).kind, StepKind::Image);
        QVERIFY(model->index(0, 1, model->indexForPath({1, 0}))
                    .data()
                    .toString()
                    .contains(QStringLiteral("red")));
        QCOMPARE(model->step({1, 3}).kind, StepKind::Illuminate);
        QCOMPARE(errorCount(editor), 0);
        // Saved to a native file only, never over the 454 original.
        QVERIFY(editor.fileName().isEmpty());
    }

    void addRemoveDuplicateMoveWithUndoRedo()
    {
        ProtocolEditor &editor = loaded();
        const Protocol original = editor.protocol();
        std::vector<Protocol> states {original};

        // Duplicate the second image of "Before incorporation".
        editor.selectPath({1, 0, 1});
        click(editor.duplicateButton());
        QCOMPARE(editor.model()->rowCount(editor.model()->indexForPath({1, 0})), 5);
        QCOMPARE(editor.selectedPath(), std::optional<StepPath>(StepPath {1, 0, 2}));
        QCOMPARE(editor.model()->step({1, 0, 2}), editor.model()->step({1, 0, 1}));
        states.push_back(editor.protocol());

        // Move the copy up twice: it becomes the first image.
        click(editor.upButton());
        states.push_back(editor.protocol());
        click(editor.upButton());
        QCOMPARE(editor.selectedPath(), std::optional<StepPath>(StepPath {1, 0, 0}));
        QVERIFY(!editor.upButton()->isEnabled());
        QCOMPARE(editor.model()->step({1, 0, 0}).label, QStringLiteral("590"));
        QCOMPARE(editor.model()->step({1, 0, 1}).label, QStringLiteral("645"));
        states.push_back(editor.protocol());
        click(editor.downButton());
        QCOMPARE(editor.model()->step({1, 0, 1}).label, QStringLiteral("590"));
        states.push_back(editor.protocol());

        // Add a wait after it (a non-group selection inserts after the step).
        editor.addAction(StepKind::Wait)->trigger();
        QCOMPARE(editor.selectedPath(), std::optional<StepPath>(StepPath {1, 0, 2}));
        QCOMPARE(editor.model()->step({1, 0, 2}).kind, StepKind::Wait);
        states.push_back(editor.protocol());

        // Add an image into a selected group (at its end).
        editor.selectPath({2});
        editor.addAction(StepKind::Image)->trigger();
        QCOMPARE(editor.selectedPath(), std::optional<StepPath>(StepPath {2, 4}));
        states.push_back(editor.protocol());

        // Remove the whole reaction cycle group.
        editor.selectPath({1});
        click(editor.removeButton());
        QCOMPARE(editor.model()->rowCount(), 2);
        states.push_back(editor.protocol());

        // Edit a label through the form (typing merges into one undo step).
        editor.selectPath({0});
        QTest::keyClicks(editor.form()->labelEdit(), QStringLiteral(" now"));
        QCOMPARE(editor.model()->step({0}).label, QStringLiteral("Reaction temperature now"));
        states.push_back(editor.protocol());
        QCOMPARE(editor.undoStack()->count(), int(states.size()) - 1);

        // Undo everything: every intermediate state comes back exactly, then the original.
        for (int i = int(states.size()) - 2; i >= 0; --i) {
            click(editor.undoButton());
            QCOMPARE(editor.protocol(), states[std::size_t(i)]);
        }
        QVERIFY(!editor.undoButton()->isEnabled());
        QCOMPARE(editor.protocol(), original);
        for (std::size_t i = 1; i < states.size(); ++i) {
            click(editor.redoButton());
            QCOMPARE(editor.protocol(), states[i]);
        }
    }

    void dragAndDropMovesThroughAnUndoableCommand()
    {
        ProtocolEditor &editor = loaded();
        const Protocol original = editor.protocol();
        auto *model = editor.model();
        // Drag the temperature step into the final image group, at its end.
        std::unique_ptr<QMimeData> mime(model->mimeData({model->indexForPath({0})}));
        QVERIFY(mime);
        const QModelIndex finalGroup = model->indexForPath({2});
        QVERIFY(model->canDropMimeData(mime.get(), Qt::MoveAction, -1, 0, finalGroup));
        QVERIFY(model->dropMimeData(mime.get(), Qt::MoveAction, -1, 0, finalGroup));
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(model->step({1, 4}).kind, StepKind::SetTemperature);
        // A group cannot be dropped into itself or into an image.
        std::unique_ptr<QMimeData> group(model->mimeData({model->indexForPath({0})}));
        QVERIFY(!model->canDropMimeData(group.get(), Qt::MoveAction, -1, 0, model->indexForPath({0, 0})));
        QVERIFY(!model->canDropMimeData(group.get(), Qt::MoveAction, -1, 0, model->indexForPath({1, 0})));
        editor.undoStack()->undo();
        QCOMPARE(editor.protocol(), original);
    }

    void markerAppearsForAMissingLedAndClearsOnFix()
    {
        m_editor = std::make_unique<ProtocolEditor>();
        ProtocolEditor &editor = *m_editor;
        editor.setRigLeds(kRigLeds);
        editor.show();
        QVERIFY(editor.loadFile(kImported));
        QCOMPARE(errorCount(editor), 0);
        QVERIFY(editor.model()->indexForPath({1, 0, 0}).data(Qt::DecorationRole).isNull());

        // Change the first image's LED to one the rig lacks, through the form's combo.
        editor.selectPath({1, 0, 0});
        QComboBox *led = editor.form()->flashLedCombo(0);
        QVERIFY(led);
        QCOMPARE(led->currentData().toString(), QStringLiteral("red"));
        editor.setRigLeds({QStringLiteral("orange"), QStringLiteral("green"), QStringLiteral("blue")});
        // The same message `scopesync validate` prints, at the step, in the list and on the tree item.
        const QString expected
            = QStringLiteral("LED 'red' is not on this rig; the rig has: orange, green, blue");
        QVERIFY(errorCount(editor) >= 3);  // every red image: twice in the cycle, once at the end
        QVERIFY(editor.model()->problems({1, 0, 0}).errors.contains(expected));
        QVERIFY(!editor.model()->indexForPath({1, 0, 0}).data(Qt::DecorationRole).isNull());
        const auto items = editor.problemList()->findItems(expected, Qt::MatchContains);
        QVERIFY(!items.isEmpty());
        // Clicking a problem selects its step.
        editor.selectPath({0});
        QTest::mouseClick(editor.problemList()->viewport(), Qt::LeftButton, {},
            editor.problemList()->visualItemRect(items.first()).center());
        QVERIFY(editor.selectedPath().has_value());
        QVERIFY(editor.model()->problems(*editor.selectedPath()).errors.contains(expected));

        // Fix the first one through the form: its marker goes, the others stay.
        editor.selectPath({1, 0, 0});
        led = editor.form()->flashLedCombo(0);
        QVERIFY(led);
        const int errorsBefore = errorCount(editor);
        led->setCurrentIndex(led->findData(QStringLiteral("green")));
        QCOMPARE(editor.model()->step({1, 0, 0}).flashes.at(0).led, QStringLiteral("green"));
        QVERIFY(editor.model()->problems({1, 0, 0}).errors.isEmpty());
        QVERIFY(editor.model()->indexForPath({1, 0, 0}).data(Qt::DecorationRole).isNull());
        QCOMPARE(errorCount(editor), errorsBefore - 1);
        // Undo brings the marker back.
        editor.undoStack()->undo();
        QVERIFY(editor.model()->problems({1, 0, 0}).errors.contains(expected));
    }

    void flashDurationWindowErrorWithTheSensor()
    {
        ProtocolEditor &editor = loaded();
        const auto *sensor = core::timing::SensorCatalog::find(QStringLiteral("imx477"));
        QVERIFY(sensor);
        const auto *mode = sensor->findMode(4056, 3040);
        QVERIFY(mode);
        core::protocol::ValidationContext context;
        context.sensor = sensor;
        context.mode = mode;
        context.exposure = std::chrono::milliseconds(250);
        editor.setValidationContext(context);
        QCOMPARE(errorCount(editor), 0);
        // A 200 ms flash cannot fit: 250 ms shutter < 86.8 ms readout + 200 ms.
        editor.selectPath({1, 0, 2});
        QDoubleSpinBox *duration = editor.form()->flashDurationSpin(0);
        QVERIFY(duration);
        duration->setValue(200.0);
        QCOMPARE(editor.model()->step({1, 0, 2}).flashes.at(0).duration, std::chrono::milliseconds(200));
        const auto problems = editor.model()->problems({1, 0, 2}).errors;
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.first().contains(QStringLiteral("valid delay window is empty")),
            qPrintable(problems.first()));
        duration->setValue(150.0);
        QVERIFY(editor.model()->problems({1, 0, 2}).errors.isEmpty());
    }

    void totalsFollowEdits()
    {
        ProtocolEditor &editor = loaded();
        core::timing::PlanTiming timing;
        const auto before = core::timing::summarize(editor.protocol(), timing);
        QVERIFY(before.frames > 0);
        QVERIFY2(editor.totalsText().startsWith(QString::number(before.frames) + QLatin1Char(' ')),
            qPrintable(editor.totalsText()));
        // One more iteration of the reaction cycle adds its frames.
        editor.selectPath({1});
        editor.form()->iterationsSpin()->setValue(3);
        const auto after = core::timing::summarize(editor.protocol(), timing);
        QVERIFY(after.frames > before.frames);
        QVERIFY2(editor.totalsText().startsWith(QString::number(after.frames) + QLatin1Char(' ')),
            qPrintable(editor.totalsText()));
        QVERIFY(editor.totalsText() != QString());
        editor.undoStack()->undo();
        QVERIFY(editor.totalsText().startsWith(QString::number(before.frames) + QLatin1Char(' ')));
    }

    void saveAndReloadRoundTrips()
    {
        ProtocolEditor &editor = loaded();
        editor.selectPath({1, 1});
        editor.form()->durationSpin()->setValue(300000);
        const Protocol edited = editor.protocol();
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("edited.json"));
        QVERIFY2(editor.saveFile(path), qPrintable(editor.statusText()));
        QVERIFY(!editor.saveFile(dir.filePath(QStringLiteral("x.454sp.json"))));

        ProtocolEditor reloaded;
        QVERIFY(reloaded.loadFile(path));
        QCOMPARE(reloaded.protocol(), edited);
        QCOMPARE(reloaded.model()->step({1, 1}).duration, std::chrono::milliseconds(300000));
        QCOMPARE(reloaded.fileName(), path);
        QVERIFY(reloaded.diagnostics().isEmpty());
    }

    void badFileIsRefusedWithItsError()
    {
        ProtocolEditor &editor = loaded();
        const Protocol before = editor.protocol();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("broken.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"format\": \"scopesync-protocol\", ");
        file.close();
        QVERIFY(!editor.loadFile(path));
        QCOMPARE(editor.protocol(), before);  // nothing already in the editor is lost
        QVERIFY(
            !editor.problemList()->findItems(QStringLiteral("not valid JSON"), Qt::MatchContains).isEmpty());
    }

    void highlightFollowsTheRunPath()
    {
        ProtocolEditor &editor = loaded();
        const Protocol p = editor.protocol();
        const auto actions = core::timing::unroll(p);
        QVERIFY(actions.size() > 3);
        editor.highlightStep(actions[2].stepPath);
        const QModelIndex idx = editor.model()->indexForPath(*ui::stepPathFromJson(actions[2].stepPath));
        QVERIFY(idx.data(Qt::FontRole).value<QFont>().bold());
        editor.highlightStep({});
        QVERIFY(!idx.data(Qt::FontRole).value<QFont>().bold());
    }
};

QTEST_MAIN(TestProtocolEditor)
#include "test_protocol_editor.moc"
