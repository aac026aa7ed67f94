;;; entropy-lint-eglot.el --- entropy-lint's language server through Eglot  -*- lexical-binding: t; -*-

;; Eglot (built into Emacs 29) runs `entropy-lint lsp' for the modes below: Flymake shows the
;; findings, `eldoc' (or M-x eldoc) the model's view of the call at point, and M-x eglot-code-actions
;; the fixes.  Eglot runs one server per project, so a buffer whose mode already has another
;; server (pyright, clangd) keeps that one: list both with `eglot-server-programs' alternatives,
;; or start entropy-lint in its own project.  Then M-x eglot in a buffer.
;; The whole workspace: M-: (eglot-execute-command (eglot-current-server) "entropy-lint.checkWorkspace" [])

(require 'eglot)

(add-to-list 'eglot-server-programs
             '((python-mode python-ts-mode c-mode c-ts-mode c++-mode c++-ts-mode js-mode js-ts-mode
                typescript-ts-mode tsx-ts-mode java-mode java-ts-mode go-mode go-ts-mode php-mode ruby-mode
                ruby-ts-mode)
               . ("entropy-lint" "lsp" "--model" "smollm2-135m")))

(provide 'entropy-lint-eglot)
;;; entropy-lint-eglot.el ends here
