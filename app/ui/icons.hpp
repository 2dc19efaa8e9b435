// Font Awesome 4.7 code points as UTF-8 string literals, so that they can be
// concatenated with labels: ICON_PLUS " New change".
#pragma once
#define ICON_SITEMAP "\xef\x83\xa8"
#define ICON_CALENDAR "\xef\x81\xb3"
#define ICON_LIST_OL "\xef\x83\x8b"
#define ICON_CHECK "\xef\x80\x8c"
#define ICON_WARNING "\xef\x81\xb1"
#define ICON_SEARCH "\xef\x80\x82"
#define ICON_PLUS "\xef\x81\xa7"
#define ICON_UNDO "\xef\x83\xa2"
#define ICON_REDO "\xef\x80\x9e"
#define ICON_SAVE "\xef\x83\x87"
#define ICON_DOWNLOAD "\xef\x80\x99"
#define ICON_UPLOAD "\xef\x82\x93"
#define ICON_KEY "\xef\x82\x84"
#define ICON_COG "\xef\x80\x93"
#define ICON_INFO "\xef\x81\x9a"
#define ICON_TIMES "\xef\x80\x8d"
#define ICON_SERVER "\xef\x88\xb3"
#define ICON_DATABASE "\xef\x87\x80"
#define ICON_CUBE "\xef\x86\xb2"
#define ICON_GLOBE "\xef\x82\xac"
#define ICON_SHIELD "\xef\x84\xb2"
#define ICON_BALANCE "\xef\x89\x8e"
#define ICON_RANDOM "\xef\x81\xb4"
#define ICON_HDD "\xef\x82\xa0"
#define ICON_BRIEFCASE "\xef\x82\xb1"
#define ICON_MOON "\xef\x86\x86"
#define ICON_SUN "\xef\x86\x85"
#define ICON_LOCK "\xef\x80\xa3"
#define ICON_HISTORY "\xef\x87\x9a"
#define ICON_BAR_CHART "\xef\x82\x80"
#define ICON_ARCHIVE "\xef\x87\x86"
#define ICON_CERTIFICATE "\xef\x82\xa3"
#define ICON_CIRCLE "\xef\x84\x91"
#define ICON_EXCLAMATION_CIRCLE "\xef\x81\xaa"
#define ICON_CLOCK "\xef\x80\x97"
#define ICON_USER "\xef\x80\x87"
#define ICON_USERS "\xef\x83\x80"
#define ICON_FILE_TEXT "\xef\x85\x9c"
#define ICON_COPY "\xef\x83\x85"
#define ICON_TRASH "\xef\x87\xb8"
#define ICON_FILTER "\xef\x82\xb0"
#define ICON_BOLT "\xef\x83\xa7"
#define ICON_CHECK_CIRCLE "\xef\x81\x98"
#define ICON_TIMES_CIRCLE "\xef\x81\x97"
#define ICON_ARROW_RIGHT "\xef\x81\xa1"
#define ICON_MAP_PIN "\xef\x89\xb6"
#define ICON_FOLDER_OPEN "\xef\x81\xbc"
#define ICON_CROSSHAIRS "\xef\x81\x9b"
#define ICON_PENCIL "\xef\x81\x80"
#define ICON_PLAY "\xef\x81\x8b"
#define ICON_BAN "\xef\x81\x9e"
#define ICON_SNOWFLAKE "\xef\x8b\x9c"
#define ICON_WRENCH "\xef\x82\xad"
#define ICON_CLOUD "\xef\x83\x82"
#define ICON_EYE "\xef\x81\xae"
#define ICON_EXPAND "\xef\x81\xa5"
#define ICON_COMPRESS "\xef\x81\xa6"
#define ICON_ELLIPSIS_V "\xef\x85\x82"

// Every icon above, so the font atlas rasterises only these glyphs (not the
// whole Font Awesome range): a test checks that each ICON_ is listed.
inline constexpr const char* kAllIcons[] = {
    ICON_SITEMAP, ICON_CALENDAR, ICON_LIST_OL, ICON_CHECK, ICON_WARNING, ICON_SEARCH, ICON_PLUS, ICON_UNDO,
    ICON_REDO, ICON_SAVE, ICON_DOWNLOAD, ICON_UPLOAD, ICON_KEY, ICON_COG, ICON_INFO, ICON_TIMES, ICON_SERVER,
    ICON_DATABASE, ICON_CUBE, ICON_GLOBE, ICON_SHIELD, ICON_BALANCE, ICON_RANDOM, ICON_HDD, ICON_BRIEFCASE,
    ICON_MOON, ICON_SUN, ICON_LOCK, ICON_HISTORY, ICON_BAR_CHART, ICON_ARCHIVE, ICON_CERTIFICATE, ICON_CIRCLE,
    ICON_EXCLAMATION_CIRCLE, ICON_CLOCK, ICON_USER, ICON_USERS, ICON_FILE_TEXT, ICON_COPY, ICON_TRASH, ICON_FILTER,
    ICON_BOLT, ICON_CHECK_CIRCLE, ICON_TIMES_CIRCLE, ICON_ARROW_RIGHT, ICON_MAP_PIN, ICON_FOLDER_OPEN,
    ICON_CROSSHAIRS, ICON_PENCIL, ICON_PLAY, ICON_BAN, ICON_SNOWFLAKE, ICON_WRENCH, ICON_CLOUD, ICON_EYE,
    ICON_EXPAND, ICON_COMPRESS, ICON_ELLIPSIS_V,
};

// Code point of an icon (a three-byte UTF-8 sequence, U+F000..U+F2FF).
inline constexpr unsigned short IconCodePoint(const char* icon) {
    const auto b = [icon](int i) { return static_cast<unsigned>(static_cast<unsigned char>(icon[i])); };
    return static_cast<unsigned short>(((b(0) & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu));
}
