-- The shop database that the phpMyAdmin tasks act on (Farah Haddad has no
-- order, so that a task can delete her).
DROP DATABASE IF EXISTS shop;
CREATE DATABASE shop CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
USE shop;
CREATE TABLE customers (
  id INT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(80) NOT NULL,
  email VARCHAR(120) NOT NULL,
  city VARCHAR(60) NOT NULL,
  joined DATE NOT NULL
) ENGINE=InnoDB;
INSERT INTO customers (name, email, city, joined) VALUES
  ('Alice Martin', 'alice@example.com', 'Lyon', '2025-01-14'),
  ('Bruno Costa', 'bruno@example.com', 'Porto', '2025-02-03'),
  ('Chen Wei', 'chen@example.com', 'Lyon', '2025-03-21'),
  ('Dana Fischer', 'dana@example.com', 'Berlin', '2025-05-09'),
  ('Emeka Obi', 'emeka@example.com', 'Lagos', '2025-06-30'),
  ('Farah Haddad', 'farah@example.com', 'Porto', '2025-08-12');
CREATE TABLE products (
  id INT AUTO_INCREMENT PRIMARY KEY,
  title VARCHAR(80) NOT NULL,
  price DECIMAL(8,2) NOT NULL,
  stock INT NOT NULL
) ENGINE=InnoDB;
INSERT INTO products (title, price, stock) VALUES
  ('Blue Mug', 9.50, 40), ('Green Teapot', 24.00, 12),
  ('Linen Apron', 18.75, 25), ('Oak Cutting Board', 32.00, 8);
CREATE TABLE orders (
  id INT AUTO_INCREMENT PRIMARY KEY,
  customer_id INT NOT NULL,
  product_id INT NOT NULL,
  quantity INT NOT NULL,
  status ENUM('new','paid','shipped','cancelled') NOT NULL DEFAULT 'new',
  ordered_at DATETIME NOT NULL,
  FOREIGN KEY (customer_id) REFERENCES customers(id),
  FOREIGN KEY (product_id) REFERENCES products(id)
) ENGINE=InnoDB;
INSERT INTO orders (customer_id, product_id, quantity, status, ordered_at) VALUES
  (1, 1, 2, 'paid', '2026-03-01 10:12:00'),
  (2, 2, 1, 'shipped', '2026-03-02 16:40:00'),
  (3, 1, 4, 'new', '2026-03-05 09:05:00'),
  (1, 3, 1, 'cancelled', '2026-03-07 11:30:00'),
  (4, 4, 1, 'paid', '2026-03-09 14:00:00'),
  (5, 2, 2, 'new', '2026-03-11 08:45:00'),
  (2, 3, 3, 'shipped', '2026-03-12 19:20:00');
