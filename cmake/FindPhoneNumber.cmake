# FindPhoneNumber — Google's libphonenumber (Debian: libphonenumber-dev), which
# ships no CMake package. Defines the imported target PhoneNumber::PhoneNumber.
# Installed beside crmConfig.cmake so that consumers of a static crm::crm find it too.
find_path(PhoneNumber_INCLUDE_DIR phonenumbers/phonenumberutil.h)
find_library(PhoneNumber_LIBRARY NAMES phonenumber)
# Its PhoneNumber class is a protobuf message: the library needs libprotobuf at link time.
find_library(PhoneNumber_PROTOBUF_LIBRARY NAMES protobuf)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(PhoneNumber REQUIRED_VARS PhoneNumber_LIBRARY PhoneNumber_INCLUDE_DIR
                                  PhoneNumber_PROTOBUF_LIBRARY)
if(PhoneNumber_FOUND AND NOT TARGET PhoneNumber::PhoneNumber)
  add_library(PhoneNumber::PhoneNumber UNKNOWN IMPORTED)
  set_target_properties(PhoneNumber::PhoneNumber PROPERTIES
    IMPORTED_LOCATION "${PhoneNumber_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${PhoneNumber_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${PhoneNumber_PROTOBUF_LIBRARY}")
endif()
mark_as_advanced(PhoneNumber_INCLUDE_DIR PhoneNumber_LIBRARY PhoneNumber_PROTOBUF_LIBRARY)
