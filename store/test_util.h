// Moved to store/testing/test_util.h. This forwarding header remains for the tests of other
// modules (api, rules/store_backed) until they include the new path.
#pragma once

#include "store/testing/test_util.h"
