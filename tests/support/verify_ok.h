// QVERIFY for the product's Result<T> and Status: on failure the test log shows the error itself.
#pragma once

#include <QString>
#include <QTest>

#define SCOPESYNC_VERIFY_OK(result)                                                                          \
    do {                                                                                                     \
        const auto &scopesyncChecked = (result);                                                             \
        QVERIFY2(scopesyncChecked.ok(),                                                                      \
            qPrintable(scopesyncChecked.ok() ? QString() : scopesyncChecked.error().toString()));            \
    } while (false)
