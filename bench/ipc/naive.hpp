// The baseline: what a straightforward Qt app does without myapp. One QObject on a
// QWebChannel, one slot taking a JSON string per call, one signal carrying each answer as a
// JSON string, on the plain page of bench/common/naive_page.hpp.
#pragma once

#include <QObject>
#include <QString>

#include "round_trips.hpp"

namespace bench {

class naive_object final : public QObject {
  Q_OBJECT

 public:
  explicit naive_object(round_trip_clock* arrivals = nullptr) : arrivals_(arrivals) {}

 public slots:
  /// `{"id":N,"cmd":"...","args":{...}}`; answers with `reply({"id":N,"ok":...})` or
  /// `reply({"id":N,"error":"..."})`.
  void call(const QString& json);

 signals:
  void reply(const QString& json);
  void tick(int index);

 private:
  round_trip_clock* arrivals_;  // marked by each echo_small call, when given
};

}  // namespace bench
