#pragma once

// ApprovalQueueModel for files that also include the page frame (RecordsPage.h).
//
// WORKAROUND, to be removed with ui/tokens/AccessModels.h's: models/tables/TablePage.h (a loaded
// page of rows, `struct rk::TablePage`) and ui/pages/TablePage.h (the page widget, `class
// rk::TablePage`) declare the same name, so no translation unit can include a LazySqlTableModel
// and a RecordsPage together. Until the rows' struct is renamed in models/tables/ (the proper
// fix), it is seen under another name here; nothing in these files mentions it.
#ifdef TablePage
#error "TablePage is already a macro"
#endif
#define TablePage TableRowsPage
#include "tasks/ApprovalQueueModel.h"
#undef TablePage
