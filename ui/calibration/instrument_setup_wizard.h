// InstrumentSetupWizard: sets a new rig's instrument up and saves the results into its rig file — each
// filter's wheel position (stepped or scanned while the live frame shows the light through it), each
// filter's focus (nudged or swept with the frame's sharpness plotted) and the heater's P and I (a step
// test, a fitted model and the predicted settling). Every page fits the 800×480 touchscreen.
#pragma once

#include "core/acquisition/rig_description.h"
#include "core/common/result.h"

#include <QWizard>

#include <functional>

namespace scopesync::ui {

class InstrumentSetupSession;

class InstrumentSetupWizard : public QWizard {
    Q_OBJECT

public:
    enum PageId { IntroPage, FilterPage, FocusPage, HeaterPage };

    // `rigFile` is the rig's file (empty for the built-in simulated rig: the first save writes it to
    // builtInRigFile()).
    InstrumentSetupWizard(InstrumentSetupSession &session, core::acquisition::RigDescription rig,
        QString rigFile, QWidget *parent = nullptr);

    // Where the built-in simulated rig is written when a set-up result is saved for it.
    static QString builtInRigFile();

    // The rig as saved so far (the description passed in, with every saved result applied).
    [[nodiscard]] const core::acquisition::RigDescription &rig() const { return m_rig; }
    // The file the results went to; empty while nothing was saved.
    [[nodiscard]] const QString &savedTo() const { return m_savedTo; }
    [[nodiscard]] InstrumentSetupSession &session() { return m_session; }

    // Saves one result: `edit(path)` writes it into the rig file (written first for the built-in rig),
    // `apply` updates rig(). An error names the file and the fix.
    core::Status save(const std::function<core::Status(const QString &path)> &edit,
        const std::function<void(core::acquisition::RigDescription &rig)> &apply);

private:
    InstrumentSetupSession &m_session;
    core::acquisition::RigDescription m_rig;
    QString m_rigFile;
    QString m_savedTo;
};

}  // namespace scopesync::ui
