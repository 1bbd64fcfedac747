#pragma once

// The lazy models of the Sessions and API Tokens pages, for files that also include the page
// frame (RecordsPage.h).
//
// WORKAROUND, to be removed: models/tables/TablePage.h (a loaded page of rows, `struct
// rk::TablePage`) and ui/pages/TablePage.h (the page widget, `class rk::TablePage`) declare the
// same name, so no translation unit can include a LazySqlTableModel and a RecordsPage together.
// Here the rows' struct is seen under another name, which lets such files compile.
//
// It does NOT make the program correct: the two classes still share the mangled name of
// rk::TablePage::~TablePage(), and the linker takes the widget's (a real function) over the
// struct's (an inline one), so in a build where that destructor is not inlined (Debug) the model
// runs the widget's destructor on its row pages and crashes as soon as it drops a page. Every
// LazySqlTableModel page is affected, whatever includes it. The fix is to rename the struct in
// models/tables/ (TablePage.h, LazySqlTableModel.h, TableLoader.h/.cpp); then delete this file
// and include the model headers directly.
#ifdef TablePage
#error "TablePage is already a macro"
#endif
#define TablePage TableRowsPage
#include "tables/SessionsTableModel.h"
#include "tables/TokensTableModel.h"
#undef TablePage
