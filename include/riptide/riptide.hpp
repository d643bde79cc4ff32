// riptide/riptide.hpp: the whole public API in one include.
// Each concept also has a header of its own (riptide/io/csv.hpp, riptide/drift/adwin.hpp, ...);
// include those instead when compile time matters.
#pragma once

#include "riptide/clean/row.hpp"
#include "riptide/drift/adwin.hpp"
#include "riptide/drift/ddm.hpp"
#include "riptide/drift/detector.hpp"
#include "riptide/drift/eddm.hpp"
#include "riptide/drift/hddm_a.hpp"
#include "riptide/drift/hddm_w.hpp"
#include "riptide/drift/ks_2samp.hpp"
#include "riptide/drift/kswin.hpp"
#include "riptide/drift/page_hinkley.hpp"
#include "riptide/features/sparse_vector.hpp"
#include "riptide/io/csv.hpp"
#include "riptide/io/csv_scan.hpp"
#include "riptide/io/location.hpp"
#include "riptide/io/record.hpp"
#include "riptide/io/source.hpp"
#include "riptide/value.hpp"
#include "riptide/version.hpp"
