// ProtocolTreeModel: the protocol's steps as an item tree (groups hold steps), with validation markers.
#include "ui/protocol_editor/protocol_tree_model.h"

#include "core/common/diagnostics.h"

#include <QApplication>
#include <QBrush>
#include <QDataStream>
#include <QFont>
#include <QIODevice>
#include <QMimeData>
#include <QPalette>
#include <QStyle>

namespace scopesync::ui {

using core::protocol::Flash;
using core::protocol::Step;
using core::protocol::StepKind;

namespace {

QString msText(double ms)
{
    if (ms >= 3'600'000.0 && std::fmod(ms, 60'000.0) == 0.0)
        return ProtocolTreeModel::tr("%1 h %2 min")
            .arg(qint64(ms / 3'600'000.0))
            .arg(qint64(std::fmod(ms, 3'600'000.0) / 60'000.0));
    if (ms >= 60'000.0 && std::fmod(ms, 1000.0) == 0.0)
        return ProtocolTreeModel::tr("%1 min %2 s")
            .arg(qint64(ms / 60'000.0))
            .arg(qint64(std::fmod(ms, 60'000.0) / 1000.0));
    return ProtocolTreeModel::tr("%1 ms").arg(QLocale().toString(ms, 'g', 10));
}

QString flashesText(const std::vector<Flash> &flashes)
{
    QStringList parts;
    for (const Flash &f : flashes) {
        QString part = ProtocolTreeModel::tr("%1 %2").arg(f.led, msText(double(f.duration.count()) / 1000.0));
        if (f.intensityPerMille != 1000)
            part += ProtocolTreeModel::tr(" at %1 ‰").arg(f.intensityPerMille);
        parts << part;
    }
    return parts.isEmpty() ? ProtocolTreeModel::tr("no light") : parts.join(QStringLiteral(", "));
}

}  // namespace

ProtocolTreeModel::ProtocolTreeModel(QObject *parent) : QAbstractItemModel(parent)
{
}

ProtocolTreeModel::~ProtocolTreeModel() = default;

std::unique_ptr<ProtocolTreeModel::Node> ProtocolTreeModel::build(const Step &step, Node *parent)
{
    auto node = std::make_unique<Node>();
    node->parent = parent;
    node->step = step;
    node->step.children.clear();
    for (const Step &child : step.children)
        node->children.push_back(build(child, node.get()));
    return node;
}

Step ProtocolTreeModel::flatten(const Node &node, const QString &path, bool nativePaths)
{
    Step step = node.step;
    if (nativePaths) {
        step.sourcePath = path;
        for (std::size_t j = 0; j < step.flashes.size(); ++j)
            step.flashes[j].sourcePath
                = core::jsonPathIndex(core::jsonPathKey(path, QStringLiteral("flashes")), qsizetype(j));
    }
    step.children.reserve(node.children.size());
    for (std::size_t i = 0; i < node.children.size(); ++i)
        step.children.push_back(flatten(*node.children[i],
            core::jsonPathIndex(core::jsonPathKey(path, QStringLiteral("steps")), qsizetype(i)),
            nativePaths));
    return step;
}

void ProtocolTreeModel::setProtocol(const core::protocol::Protocol &protocol)
{
    beginResetModel();
    m_root.children.clear();
    for (const Step &step : protocol.steps)
        m_root.children.push_back(build(step, &m_root));
    m_name = protocol.name;
    m_description = protocol.description;
    m_highlighted = nullptr;
    endResetModel();
}

core::protocol::Protocol ProtocolTreeModel::protocol() const
{
    core::protocol::Protocol p;
    p.name = m_name;
    p.description = m_description;
    for (std::size_t i = 0; i < m_root.children.size(); ++i)
        p.steps.push_back(
            flatten(*m_root.children[i], core::jsonPathIndex(QStringLiteral("$.steps"), qsizetype(i)), true));
    return p;
}

void ProtocolTreeModel::setNameAndDescription(const QString &name, const QString &description)
{
    m_name = name;
    m_description = description;
}

ProtocolTreeModel::Node *ProtocolTreeModel::nodeAt(const StepPath &path) const
{
    const Node *node = &m_root;
    for (const int row : path) {
        if (row < 0 || std::size_t(row) >= node->children.size())
            return nullptr;
        node = node->children[std::size_t(row)].get();
    }
    return const_cast<Node *>(node);
}

ProtocolTreeModel::Node *ProtocolTreeModel::nodeFor(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : const_cast<Node *>(&m_root);
}

int ProtocolTreeModel::rowOf(const Node *node) const
{
    if (!node->parent)
        return 0;
    const auto &siblings = node->parent->children;
    for (std::size_t i = 0; i < siblings.size(); ++i)
        if (siblings[i].get() == node)
            return int(i);
    return 0;
}

StepPath ProtocolTreeModel::pathOf(const Node *node) const
{
    StepPath path;
    for (; node && node != &m_root; node = node->parent)
        path.prepend(rowOf(node));
    return path;
}

QModelIndex ProtocolTreeModel::indexForPath(const StepPath &path) const
{
    QModelIndex idx;
    for (const int row : path) {
        idx = index(row, 0, idx);
        if (!idx.isValid())
            return {};
    }
    return idx;
}

StepPath ProtocolTreeModel::pathForIndex(const QModelIndex &index) const
{
    return index.isValid() ? pathOf(nodeFor(index)) : StepPath {};
}

bool ProtocolTreeModel::contains(const StepPath &path) const
{
    return !path.isEmpty() && nodeAt(path) != nullptr;
}

int ProtocolTreeModel::childCount(const StepPath &parentPath) const
{
    const Node *node = nodeAt(parentPath);
    return node ? int(node->children.size()) : 0;
}

Step ProtocolTreeModel::step(const StepPath &path) const
{
    const Node *node = nodeAt(path);
    return node && node != &m_root ? flatten(*node, {}, false) : Step {};
}

std::optional<StepPath> ProtocolTreeModel::findBySourcePath(const QString &sourcePath) const
{
    for (const auto &[source, path] : sourcePaths())
        if (source == sourcePath)
            return path;
    return std::nullopt;
}

std::vector<std::pair<QString, StepPath>> ProtocolTreeModel::sourcePaths() const
{
    std::vector<std::pair<QString, StepPath>> out;
    std::vector<std::pair<const Node *, StepPath>> stack {{&m_root, {}}};
    while (!stack.empty()) {
        auto [node, path] = stack.back();
        stack.pop_back();
        if (node != &m_root && !node->step.sourcePath.isEmpty())
            out.emplace_back(node->step.sourcePath, path);
        for (std::size_t i = 0; i < node->children.size(); ++i)
            stack.emplace_back(node->children[i].get(), path + StepPath {int(i)});
    }
    return out;
}

void ProtocolTreeModel::insertStep(const StepPath &parentPath, int row, const Step &step)
{
    Node *parentNode = nodeAt(parentPath);
    Q_ASSERT(parentNode && row >= 0 && std::size_t(row) <= parentNode->children.size());
    beginInsertRows(indexForPath(parentPath), row, row);
    parentNode->children.insert(parentNode->children.begin() + row, build(step, parentNode));
    endInsertRows();
    if (parentNode != &m_root) {
        const QModelIndex p = indexForPath(parentPath);
        Q_EMIT dataChanged(p, p.siblingAtColumn(DetailColumn));
    }
}

Step ProtocolTreeModel::takeStep(const StepPath &path)
{
    Node *node = nodeAt(path);
    Q_ASSERT(node && node != &m_root);
    const Step step = flatten(*node, {}, false);
    Node *parentNode = node->parent;
    const int row = path.last();
    for (const Node *n = m_highlighted; n; n = n->parent)
        if (n == node)
            m_highlighted = nullptr;
    beginRemoveRows(indexForPath(path.mid(0, path.size() - 1)), row, row);
    parentNode->children.erase(parentNode->children.begin() + row);
    endRemoveRows();
    return step;
}

void ProtocolTreeModel::setStepFields(const StepPath &path, const Step &fields)
{
    Node *node = nodeAt(path);
    Q_ASSERT(node && node != &m_root);
    const QString source = node->step.sourcePath;
    node->step = fields;
    node->step.children.clear();
    node->step.sourcePath = source;
    const QModelIndex idx = indexForPath(path);
    Q_EMIT dataChanged(idx, idx.siblingAtColumn(DetailColumn));
}

void ProtocolTreeModel::setProblems(const QMap<StepPath, StepProblems> &problems)
{
    std::vector<Node *> stack {&m_root};
    while (!stack.empty()) {
        Node *node = stack.back();
        stack.pop_back();
        node->problems = {};
        for (auto &child : node->children)
            stack.push_back(child.get());
    }
    for (auto it = problems.cbegin(); it != problems.cend(); ++it)
        if (Node *node = nodeAt(it.key()))
            node->problems = it.value();
    // Markers can change anywhere; a layout-neutral repaint of every row is cheapest to express this way.
    Q_EMIT layoutAboutToBeChanged();
    Q_EMIT layoutChanged();
}

StepProblems ProtocolTreeModel::problems(const StepPath &path) const
{
    const Node *node = nodeAt(path);
    return node ? node->problems : StepProblems {};
}

void ProtocolTreeModel::setHighlighted(const std::optional<StepPath> &path)
{
    const Node *previous = m_highlighted;
    m_highlighted = path ? nodeAt(*path) : nullptr;
    if (m_highlighted == &m_root)
        m_highlighted = nullptr;
    for (const Node *n : {previous, m_highlighted}) {
        if (!n || n == &m_root)
            continue;
        const QModelIndex idx = indexForPath(pathOf(n));
        Q_EMIT dataChanged(idx, idx.siblingAtColumn(DetailColumn));
    }
}

QString ProtocolTreeModel::kindName(StepKind kind)
{
    switch (kind) {
    case StepKind::Group: return tr("Group");
    case StepKind::Image: return tr("Image");
    case StepKind::Wait: return tr("Wait");
    case StepKind::SetTemperature: return tr("Temperature");
    case StepKind::Illuminate: return tr("Illuminate");
    }
    return {};
}

QString ProtocolTreeModel::describe(const Step &step)
{
    switch (step.kind) {
    case StepKind::Group: return tr("× %1").arg(step.iterations);
    case StepKind::Image:
        // The filter is part of the image: a flash through the wrong one gives a dark frame.
        return step.filter.isEmpty() || step.filter == QLatin1String("any_filter")
            ? flashesText(step.flashes)
            : tr("%1 through %2").arg(flashesText(step.flashes), step.filter);
    case StepKind::Wait: return msText(double(step.duration.count()));
    case StepKind::SetTemperature:
        return tr("%1 K (%2 °C)")
            .arg(QLocale().toString(step.temperatureKelvin, 'f', 2),
                QLocale().toString(step.temperatureKelvin - 273.15, 'f', 2));
    case StepKind::Illuminate: {
        QString text = tr("%1 for %2").arg(flashesText(step.flashes), msText(double(step.duration.count())));
        if (step.capturePeriod)
            text += tr(", an image every %1").arg(msText(double(step.capturePeriod->count())));
        return text;
    }
    }
    return {};
}

QModelIndex ProtocolTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    const Node *p = nodeFor(parent);
    if (std::size_t(row) >= p->children.size())
        return {};
    return createIndex(row, column, p->children[std::size_t(row)].get());
}

QModelIndex ProtocolTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const Node *p = nodeFor(child)->parent;
    if (!p || p == &m_root)
        return {};
    return createIndex(rowOf(p), 0, const_cast<Node *>(p));
}

int ProtocolTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeFor(parent)->children.size());
}

int ProtocolTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant ProtocolTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node *node = nodeFor(index);
    const Step &step = node->step;
    const bool label = index.column() == LabelColumn;
    switch (role) {
    case Qt::DisplayRole:
        if (label)
            return step.label.isEmpty() ? kindName(step.kind)
                                        : tr("%1: %2").arg(kindName(step.kind), step.label);
        return describe(step);
    case Qt::DecorationRole:
        if (!label)
            return {};
        if (!node->problems.errors.isEmpty())
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxCritical);
        if (!node->problems.warnings.isEmpty())
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        return {};
    case Qt::ToolTipRole: {
        const QStringList all = node->problems.errors + node->problems.warnings;
        return all.isEmpty() ? QVariant() : QVariant(all.join(u'\n'));
    }
    case Qt::FontRole:
        if (node == m_highlighted) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::BackgroundRole:
        if (node == m_highlighted)
            return QApplication::palette().brush(QPalette::Highlight).color().lighter(170);
        return {};
    default: return {};
    }
}

QVariant ProtocolTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == LabelColumn ? tr("Step") : tr("Details");
}

Qt::ItemFlags ProtocolTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::ItemIsDropEnabled;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled;
    if (nodeFor(index)->step.kind == StepKind::Group)
        f |= Qt::ItemIsDropEnabled;
    return f;
}

Qt::DropActions ProtocolTreeModel::supportedDropActions() const
{
    return Qt::MoveAction;
}

QStringList ProtocolTreeModel::mimeTypes() const
{
    return {QString::fromLatin1(kMimeType)};
}

QMimeData *ProtocolTreeModel::mimeData(const QModelIndexList &indexes) const
{
    if (indexes.isEmpty())
        return nullptr;
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out << pathForIndex(indexes.first());
    auto *mime = new QMimeData;
    mime->setData(QString::fromLatin1(kMimeType), bytes);
    return mime;
}

std::optional<StepPath> ProtocolTreeModel::decodeDrop(
    const QMimeData *data, const QModelIndex &parent, int &row) const
{
    if (!data || !data->hasFormat(QString::fromLatin1(kMimeType)))
        return std::nullopt;
    QByteArray bytes = data->data(QString::fromLatin1(kMimeType));
    QDataStream in(&bytes, QIODevice::ReadOnly);
    StepPath from;
    in >> from;
    const StepPath toParent = pathForIndex(parent);
    if (!contains(from) || isWithin(toParent, from))
        return std::nullopt;  // a group cannot be dropped into itself
    if (parent.isValid() && nodeFor(parent)->step.kind != StepKind::Group)
        return std::nullopt;
    if (row < 0 || row > childCount(toParent))
        row = childCount(toParent);
    return from;
}

bool ProtocolTreeModel::canDropMimeData(
    const QMimeData *data, Qt::DropAction action, int row, int, const QModelIndex &parent) const
{
    return action == Qt::MoveAction && decodeDrop(data, parent, row).has_value();
}

bool ProtocolTreeModel::dropMimeData(
    const QMimeData *data, Qt::DropAction action, int row, int, const QModelIndex &parent)
{
    if (action != Qt::MoveAction)
        return false;
    const auto from = decodeDrop(data, parent, row);
    if (!from)
        return false;
    // The editor moves the step through an undoable command. removeRows() is not implemented, so the
    // view's own "remove the dragged source" after a successful move does nothing.
    Q_EMIT moveRequested(*from, pathForIndex(parent), row);
    return true;
}

}  // namespace scopesync::ui
