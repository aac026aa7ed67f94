-- Neovim + nvim-lint (https://github.com/mfussenegger/nvim-lint): lints the unsaved buffer
-- through standard input. Put this in your config, then:
--   require('lint').linters_by_ft.python = { 'entropy_lint' }   (and c, javascript, ...)
--   vim.api.nvim_create_autocmd({ 'BufWritePost', 'InsertLeave' }, { callback = function() require('lint').try_lint() end })
require('lint').linters.entropy_lint = {
  cmd = 'entropy-lint',
  stdin = true,
  stream = 'stdout',
  ignore_exitcode = true,
  args = {
    'check', '--stdin', '--stdin-filename', function() return vim.api.nvim_buf_get_name(0) end,
    '--model', 'smollm2-135m', '--fail-on', 'none', '--quiet',
  },
  parser = require('lint.parser').from_errorformat(
    '%f:%l:%c: %trror: %m,%f:%l:%c: %tarning: %m,%f:%l:%c: %tote: %m',
    { source = 'entropy-lint' }
  ),
}
