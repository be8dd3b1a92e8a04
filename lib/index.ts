// refscope's public API: nothing but re-exports. The CLI imports only this file.
