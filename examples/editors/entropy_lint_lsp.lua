-- Neovim (0.10 or newer): entropy-lint's language server for the buffers it can lint.
-- Put this in your config (init.lua). Diagnostics appear as you type, `K` shows the model's view
-- of a finding's call, and `gra` (0.11; `vim.lsp.buf.code_action()` before) offers its fixes.
-- The whole workspace (0.10): :lua vim.lsp.buf.execute_command({ command = 'entropy-lint.checkWorkspace' })
-- (0.11: :lua vim.lsp.get_clients({ name = 'entropy-lint' })[1]:exec_cmd({ title = '', command = 'entropy-lint.checkWorkspace' }))
vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'python', 'c', 'cpp', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'java', 'go',
              'php', 'ruby' },
  callback = function(args)
    vim.lsp.start({
      name = 'entropy-lint',
      cmd = { 'entropy-lint', 'lsp', '--model', 'smollm2-135m' },
      root_dir = vim.fs.root(args.buf, { '.entropy-lint.toml', 'pyproject.toml', '.git' }),
    })
  end,
})
