;;; entropy-lint.el --- Flymake backend for entropy-lint  -*- lexical-binding: t -*-
;; Lints the unsaved buffer through standard input.  Load this file, then in a buffer:
;;   (add-hook 'flymake-diagnostic-functions #'entropy-lint-flymake nil t) (flymake-mode 1)
;; For M-x compile, run: entropy-lint check FILE --quiet
;; (compilation-mode's built-in gnu pattern reads its file:line:col: level: lines).

(defvar entropy-lint-command
  '("entropy-lint" "check" "--stdin" "--stdin-filename" FILE "--model" "smollm2-135m" "--fail-on" "none" "--quiet")
  "The command; FILE is replaced by the buffer's file name.")

(defconst entropy-lint-line-regexp
  "^\\(.+?\\):\\([0-9]+\\):\\([0-9]+\\): \\(error\\|warning\\|note\\): \\(.*\\)$")

(defvar-local entropy-lint--process nil)

(defun entropy-lint-flymake (report-fn &rest _args)
  "Flymake backend: run entropy-lint on the buffer and REPORT-FN its findings."
  (when (process-live-p entropy-lint--process) (kill-process entropy-lint--process))
  (let* ((source (current-buffer))
         (file (or (buffer-file-name) (buffer-name)))
         (command (mapcar (lambda (x) (if (eq x 'FILE) file x)) entropy-lint-command)))
    (setq entropy-lint--process
          (make-process
           :name "entropy-lint" :noquery t :connection-type 'pipe
           :buffer (generate-new-buffer " *entropy-lint*") :command command
           :sentinel
           (lambda (proc _event)
             (when (memq (process-status proc) '(exit signal))
               (unwind-protect
                   (when (eq proc (buffer-local-value 'entropy-lint--process source))
                     (with-current-buffer (process-buffer proc)
                       (goto-char (point-min))
                       (let (diags)
                         (while (re-search-forward entropy-lint-line-regexp nil t)
                           (let* ((line (string-to-number (match-string 2)))
                                  (col (string-to-number (match-string 3)))
                                  (level (match-string 4))
                                  (msg (match-string 5))
                                  (region (flymake-diag-region source line col)))
                             (push (flymake-make-diagnostic
                                    source (car region) (cdr region)
                                    (pcase level ("error" :error) ("warning" :warning) (_ :note))
                                    msg)
                                   diags)))
                         (funcall report-fn diags))))
                 (kill-buffer (process-buffer proc)))))))
    (process-send-region entropy-lint--process (point-min) (point-max))
    (process-send-eof entropy-lint--process)))

(provide 'entropy-lint)
;;; entropy-lint.el ends here
