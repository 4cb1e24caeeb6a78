/* httpc_lua.i -- the Lua side of httpc.i: typemaps that follow
 * bindings/BACKEND.md (bytes as Lua strings both ways, outputs as extra
 * results, return codes instead of raised errors), the httpc.core.buffer
 * userdata for readinto, and what a freed handle does.
 * Build with `swig -lua -nomoduleglobal`; the module is `httpc.core`. */

%{
#include <stddef.h>

/* require "httpc.core" looks for luaopen_httpc_core: SWIG names it after
 * the module (httpc_core), so only the name Lua sees needs fixing. */

#define HTTPC_LUA_BUFFER "httpc.core.buffer"

/* B.buffer(size): a fixed-size byte area readinto fills. */
typedef struct httpc_lua_buffer {
    size_t size;
    unsigned char data[];
} httpc_lua_buffer;

static httpc_lua_buffer *httpc_lua_buffer_of(void *data) {
    return (httpc_lua_buffer *)((char *)data - offsetof(httpc_lua_buffer, data));
}

static int httpc_lua_buffer_new(lua_State *L) {
    lua_Number n = luaL_checknumber(L, 1);
    if (!(n >= 0) || n > (lua_Number)(((size_t)-1) / 2) || n != (lua_Number)(size_t)n)
        return luaL_argerror(L, 1, "size must be a non-negative integer");
    httpc_lua_buffer *b = lua_newuserdata(L, offsetof(httpc_lua_buffer, data) + (size_t)n);
    b->size = (size_t)n;
    luaL_getmetatable(L, HTTPC_LUA_BUFFER);
    lua_setmetatable(L, -2);
    return 1;
}

/* buf:tostring([n]): the first n bytes (all when n is absent). */
static int httpc_lua_buffer_tostring(lua_State *L) {
    httpc_lua_buffer *b = luaL_checkudata(L, 1, HTTPC_LUA_BUFFER);
    lua_Number n = luaL_optnumber(L, 2, (lua_Number)b->size);
    if (!(n >= 0) || n > (lua_Number)b->size)
        return luaL_argerror(L, 2, "length out of the buffer's range");
    lua_pushlstring(L, (const char *)b->data, (size_t)n);
    return 1;
}

static int httpc_lua_buffer_size(lua_State *L) {
    httpc_lua_buffer *b = luaL_checkudata(L, 1, HTTPC_LUA_BUFFER);
    lua_pushnumber(L, (lua_Number)b->size);
    return 1;
}

static void httpc_lua_buffer_register(lua_State *L) {
    static const luaL_Reg methods[] = {
        {"tostring", httpc_lua_buffer_tostring},
        {"size", httpc_lua_buffer_size},
        {NULL, NULL},
    };
    luaL_newmetatable(L, HTTPC_LUA_BUFFER);
    lua_newtable(L);
    for (const luaL_Reg *m = methods; m->name; m++) {
        lua_pushcfunction(L, m->func);
        lua_setfield(L, -2, m->name);
    }
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, httpc_lua_buffer_size);
    lua_setfield(L, -2, "__len");
    lua_pushcfunction(L, httpc_lua_buffer_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
}

/* free(): the userdata stops pointing at the handle, so __gc and every
 * later method see NULL (inert) instead of freed memory. */
static void httpc_lua_forget_self(lua_State *L) {
    swig_lua_userdata *u = (swig_lua_userdata *)lua_touserdata(L, 1);
    if (u) {
        u->ptr = NULL;
        u->own = 0;
    }
}
%}

%native(buffer) int httpc_lua_buffer_new(lua_State *L);

%init %{
    httpc_lua_buffer_register(L);
%}

/* Bytes in: a Lua string, NUL bytes and all. */
%typemap(in, checkfn="lua_isstring") (const char *BYTES, size_t LEN) {
    size_t n_ = 0;
    $1 = ($1_ltype)lua_tolstring(L, $input, &n_);
    $2 = n_;
}
%typemap(in) (const char *OPTBYTES, size_t OPTLEN) {
    if (lua_isnoneornil(L, $input)) {
        $1 = NULL;
        $2 = 0;
    } else {
        size_t n_ = 0;
        if (!lua_isstring(L, $input)) SWIG_fail_arg("$symname", $argnum, "string or nil");
        $1 = ($1_ltype)lua_tolstring(L, $input, &n_);
        $2 = n_;
    }
}

/* Bytes out: one more result string. */
%typemap(in, numinputs=0) (const char **OUT, size_t *OUT_LEN) (const char *p = NULL, size_t n = 0) {
    $1 = ($1_ltype)&p;
    $2 = &n;
}
%typemap(argout) (const char **OUT, size_t *OUT_LEN) {
    if (*$1) lua_pushlstring(L, *$1, *$2);
    else lua_pushliteral(L, "");
    SWIG_arg++;
}

/* A returned (pointer, length): the string is the result. */
%typemap(out) httpc_lstr "";
%typemap(in, numinputs=0) size_t *LSTR_LEN (size_t n = 0) {
    $1 = &n;
}
%typemap(argout) size_t *LSTR_LEN {
    if (result) lua_pushlstring(L, result, *$1);
    else lua_pushliteral(L, "");
    SWIG_arg++;
}

%typemap(in, numinputs=0) size_t *OUT_N (size_t n = 0) {
    $1 = &n;
}
%typemap(argout) size_t *OUT_N {
    lua_pushinteger(L, (lua_Integer)*$1);
    SWIG_arg++;
}

%typemap(in, numinputs=0) httpc_response **OUT_RESP (httpc_response *r = NULL) {
    $1 = &r;
}
%typemap(argout) httpc_response **OUT_RESP {
    if (*$1) SWIG_NewPointerObj(L, *$1, $*1_descriptor, 1);
    else lua_pushnil(L);
    SWIG_arg++;
}

/* readinto(buf, len): buf is a B.buffer userdata, len at most its size. */
%typemap(in, checkfn="lua_isuserdata") void *BUF {
    $1 = ((httpc_lua_buffer *)luaL_checkudata(L, $input, HTTPC_LUA_BUFFER))->data;
}
%typemap(check) (void *BUF, size_t LEN) {
    if ($2 > httpc_lua_buffer_of($1)->size)
        SWIG_fail_arg("$symname", 3, "length larger than the buffer");
}

/* Sizes and 64-bit counts arrive as Lua numbers; a negative size would
 * wrap to a huge size_t. */
%typemap(in, checkfn="lua_isnumber") size_t {
    lua_Number v_ = lua_tonumber(L, $input);
    if (v_ < 0) SWIG_fail_arg("$symname", $argnum, "non-negative number");
    $1 = ($1_ltype)v_;
}

/* Integers stay integers on Lua 5.3+ (rc == 0, "%d", table keys). */
%typemap(out) int, size_t, int64_t "lua_pushinteger(L, (lua_Integer)$1); SWIG_arg++;";

/* A method on a freed handle answers E_NOTCONNECTED instead of touching it
 * (BACKEND.md rule 7); free() itself is idempotent. */
%define HTTPC_METHOD_GUARD
%exception %{
    if (!arg1) {
        lua_pushinteger(L, HTTPC_E_NOTCONNECTED);
        return 1;
    }
    $action
%}
%exception free %{
    $action
    httpc_lua_forget_self(L);
%}
%enddef
