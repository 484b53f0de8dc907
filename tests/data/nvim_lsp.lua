-- Drive Neovim's built-in LSP client against `slint server`, headless: open one file, wait for
-- the diagnostics the server publishes, write them as JSON, quit. Used by tests/test_server_nvim.py.
local out = os.getenv('SLINT_NVIM_OUT')
local cmd = { os.getenv('SLINT_PYTHON'), '-m', 'slint', 'server' }
local client_id = vim.lsp.start_client({ cmd = cmd, name = 'slint', root_dir = vim.fn.getcwd() })
vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('SLINT_NVIM_FILE')))
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)
vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 100)
local res = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local lsp = (d.user_data or {}).lsp or {}
  table.insert(res, { lnum = d.lnum, col = d.col, severity = d.severity, message = d.message,
                      source = d.source, code = d.code or lsp.code })
end
local f = io.open(out, 'w')
f:write(vim.fn.json_encode(res))
f:close()
vim.lsp.stop_client(client_id)
vim.cmd('qa!')
